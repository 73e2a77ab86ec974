/**
 * What SEARCH, SORT and THREAD keep of message headers between commands, keyed by folder path and
 * the message's unique name (maildir messages never change content): parsed top-level header
 * blocks within a byte budget (header SEARCH keys), and the small per-message SORT/THREAD facts for
 * many more messages, so a second SORT or THREAD of a large folder reads no message file.
 * Both are LRU-bounded; nothing here outlives the server.
 */
import type { MessageInfo } from '@courier-ts/maildir';
import { type HeaderField, parseHeaderBlock } from './header-fields.js';
import { readHeaderFile } from './header-read.js';

/** The part of a Folder that search reads from. */
export interface MessageSource {
  readonly path: string;
  readHeaders(msg: MessageInfo, maxBytes: number): Promise<Buffer>;
  openMessage(msg: MessageInfo): NodeJS.ReadableStream & AsyncIterable<Buffer | string>;
  /** The message file itself (LF form, read directly: faster than openMessage's CRLF form). */
  rawPath?(msg: MessageInfo): string;
}

export const MAX_HEADER_BYTES = 256 * 1024;

export interface HeaderCacheOptions {
  /** Budget for parsed header blocks, in (estimated) bytes; default 32 MiB. */
  readonly maxHeaderBytes?: number;
  /** Messages whose SORT/THREAD facts are kept; default 250,000. */
  readonly maxFacts?: number;
}

function estimate(fields: readonly HeaderField[]): number {
  let n = 64;
  for (const f of fields)
    n += 48 + 2 * (f.name.length + f.raw.length + (f.value === f.raw ? 0 : f.value.length));
  return n;
}

class Lru<V> {
  readonly #map = new Map<string, { v: V; size: number }>();
  #total = 0;
  constructor(
    private readonly maxTotal: number,
    private readonly sizeOf: (v: V) => number,
  ) {}
  get(key: string): V | undefined {
    const e = this.#map.get(key);
    if (!e) return undefined;
    this.#map.delete(key);
    this.#map.set(key, e);
    return e.v;
  }
  set(key: string, v: V): void {
    const size = this.sizeOf(v);
    if (size > this.maxTotal) return;
    const old = this.#map.get(key);
    if (old) {
      this.#total -= old.size;
      this.#map.delete(key);
    }
    this.#map.set(key, { v, size });
    this.#total += size;
    for (const [k, e] of this.#map) {
      if (this.#total <= this.maxTotal) break;
      this.#map.delete(k);
      this.#total -= e.size;
    }
  }
  get size(): number {
    return this.#map.size;
  }
}

/** The file directly when the source names it (faster), else (or if it moved) the source's reader. */
async function readBlock(source: MessageSource, msg: MessageInfo): Promise<Buffer> {
  if (source.rawPath) {
    try {
      return await readHeaderFile(source.rawPath(msg), MAX_HEADER_BYTES);
    } catch {
      // renamed by a flag change elsewhere, or gone: let the folder find it
    }
  }
  return source.readHeaders(msg, MAX_HEADER_BYTES);
}

export class HeaderCache {
  readonly #blocks: Lru<readonly HeaderField[]>;
  readonly #facts: Lru<unknown>;
  hits = 0;
  misses = 0;

  constructor(options: HeaderCacheOptions = {}) {
    this.#blocks = new Lru(options.maxHeaderBytes ?? 32 * 1024 * 1024, estimate);
    this.#facts = new Lru(options.maxFacts ?? 250_000, () => 1);
  }

  /** The message's own header block, parsed (from the cache, else read and cached). */
  async headers(source: MessageSource, msg: MessageInfo): Promise<readonly HeaderField[]> {
    const id = `${source.path}\0${msg.key}`;
    const hit = this.#blocks.get(id);
    if (hit !== undefined) {
      this.hits++;
      return hit;
    }
    this.misses++;
    const fields = parseHeaderBlock(await readBlock(source, msg));
    this.#blocks.set(id, fields);
    return fields;
  }

  /** Facts derived from the header block (SORT/THREAD), computed once per message. */
  async facts<T>(
    source: MessageSource,
    msg: MessageInfo,
    derive: (fields: readonly HeaderField[]) => T,
  ): Promise<T> {
    const id = `${source.path}\0${msg.key}`;
    const hit = this.#facts.get(id);
    if (hit !== undefined) return hit as T;
    const v = derive(await this.headers(source, msg));
    this.#facts.set(id, v);
    return v;
  }

  /** Header blocks held. */
  get size(): number {
    return this.#blocks.size;
  }
}
