/**
 * What SEARCH, SORT and THREAD keep of message headers between commands, per folder and message
 * (maildir messages never change content): the packed values of the often-searched header fields
 * (header-values.ts) and the small SORT/THREAD facts, so a second SEARCH FROM, SORT or THREAD of a
 * large folder reads no message file. Header blocks themselves are not kept. Bounded by an estimate
 * of the bytes held; the least recently used folder loses its oldest messages first. Nothing here
 * outlives the server. It also owns the worker threads (ScanPool) that read and scan message files
 * for the commands sharing it: started on demand, stopped when idle.
 */
import type { MessageInfo } from '@courier-ts/maildir';
import type { Prefix } from './file-read.js';
import { type HeaderField, parseHeaderBlock } from './header-fields.js';
import { headerBlockIn, readHeaderFile } from './header-read.js';
import { type HeaderValues, topFields, ValuesCollector } from './header-values.js';
import { isSingleBlock } from './message-scanner.js';
import { ScanPool } from './scan-pool.js';

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
  /** Budget for everything kept, in (estimated) bytes; default 128 MiB (about 140,000 messages). */
  readonly maxBytes?: number;
  /** Worker threads (ScanPool) read and scan the message files of large folders; default true. */
  readonly readAhead?: boolean;
}

interface Entry {
  values: HeaderValues | undefined;
  facts: unknown;
  size: number;
}

/** Map, object and strings of an entry, roughly (V8, one-byte strings counted as two). */
const ENTRY_OVERHEAD = 96;

function factsSize(facts: unknown): number {
  let n = 64;
  if (facts && typeof facts === 'object') {
    for (const v of Object.values(facts)) {
      if (typeof v === 'string') n += 16 + 2 * v.length;
      else if (Array.isArray(v)) for (const s of v) n += 24 + 2 * String(s).length;
    }
  }
  return n;
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
  /** Folder path -> message key -> entry; both in least-recently-used-first order. */
  readonly #folders = new Map<string, Map<string, Entry>>();
  readonly #maxBytes: number;
  #bytes = 0;
  #count = 0;
  /** Header blocks read and parsed (a cache miss each). */
  misses = 0;

  /** Worker threads reading and scanning files for the commands using this cache (undefined: off). */
  readonly workers: ScanPool | undefined;

  constructor(options: HeaderCacheOptions = {}) {
    this.#maxBytes = options.maxBytes ?? 128 * 1024 * 1024;
    this.workers = options.readAhead === false ? undefined : new ScanPool();
  }

  /**
   * The message's facts without reading its file: kept ones, or derived (and kept) from its kept
   * header values; undefined when the file must be read (`facts()`).
   */
  keptFacts<T>(
    source: MessageSource,
    msg: MessageInfo,
    derive: (fields: readonly HeaderField[]) => T,
  ): T | undefined {
    const folder = this.#folders.get(source.path);
    const e = folder?.get(msg.key);
    if (e === undefined) return undefined;
    if (e.facts !== undefined) return e.facts as T;
    if (e.values === undefined) return undefined;
    const v = derive(topFields(e.values));
    this.#update(source, msg, (x) => {
      x.facts = v;
    });
    return v;
  }

  #folder(path: string, create: boolean): Map<string, Entry> | undefined {
    const f = this.#folders.get(path);
    if (f) {
      this.#folders.delete(path);
      this.#folders.set(path, f);
      return f;
    }
    if (!create) return undefined;
    const n = new Map<string, Entry>();
    this.#folders.set(path, n);
    return n;
  }

  #entry(source: MessageSource, msg: MessageInfo): Entry | undefined {
    return this.#folders.get(source.path)?.get(msg.key);
  }

  #update(source: MessageSource, msg: MessageInfo, change: (e: Entry) => void): void {
    const folder = this.#folder(source.path, true)!;
    let e = folder.get(msg.key);
    if (!e) {
      e = { values: undefined, facts: undefined, size: 0 };
      folder.set(msg.key, e);
      this.#count++;
    }
    this.#bytes -= e.size;
    change(e);
    e.size = ENTRY_OVERHEAD + (e.values ? 2 * e.values.items.length : 0) + (e.facts ? factsSize(e.facts) : 0);
    this.#bytes += e.size;
    this.#evict();
  }

  #evict(): void {
    for (const [path, folder] of this.#folders) {
      if (this.#bytes <= this.#maxBytes) return;
      for (const [key, e] of folder) {
        if (this.#bytes <= this.#maxBytes) return;
        folder.delete(key);
        this.#bytes -= e.size;
        this.#count--;
      }
      if (folder.size === 0) this.#folders.delete(path);
    }
  }

  /** The message's cached header values, if any. */
  values(source: MessageSource, msg: MessageInfo): HeaderValues | undefined {
    this.#folder(source.path, false);
    return this.#entry(source, msg)?.values;
  }

  /** Keeps values; complete ones are not replaced by top-level-only ones. */
  storeValues(source: MessageSource, msg: MessageInfo, values: HeaderValues): void {
    const old = this.#entry(source, msg)?.values;
    if (old?.complete && !values.complete) return;
    this.#update(source, msg, (e) => {
      e.values = values;
    });
  }

  /** The message's own header block, read and parsed (its often-searched values are kept). */
  async headers(source: MessageSource, msg: MessageInfo, prefix?: Prefix): Promise<readonly HeaderField[]> {
    this.misses++;
    const ahead = prefix && source.rawPath ? headerBlockIn(prefix.bytes, prefix.eof) : undefined;
    const fields = parseHeaderBlock(ahead ?? (await readBlock(source, msg)));
    if (this.#entry(source, msg)?.values === undefined) {
      const c = new ValuesCollector();
      c.add(fields);
      const packed = c.pack(true);
      if (packed !== undefined) {
        const single = isSingleBlock(fields);
        this.storeValues(source, msg, { ...packed, complete: single, single });
      }
    }
    return fields;
  }

  /** Facts derived from the header block (SORT/THREAD), computed once per message. */
  async facts<T>(
    source: MessageSource,
    msg: MessageInfo,
    derive: (fields: readonly HeaderField[]) => T,
    prefix?: Prefix,
  ): Promise<T> {
    this.#folder(source.path, false);
    const e = this.#entry(source, msg);
    if (e?.facts !== undefined) return e.facts as T;
    // The fields SORT/THREAD read are among the kept values: no need to read the file again.
    const v = derive(e?.values ? topFields(e.values) : await this.headers(source, msg, prefix));
    this.#update(source, msg, (e) => {
      e.facts = v;
    });
    return v;
  }

  /** Messages with something kept. */
  get size(): number {
    return this.#count;
  }

  /** Estimated bytes kept. */
  get bytes(): number {
    return this.#bytes;
  }
}
