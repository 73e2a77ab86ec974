/**
 * Parsed top-level header blocks, shared by SEARCH (header keys), SORT and THREAD: a bounded LRU
 * keyed by folder path and the message's unique name (maildir messages never change content), so a
 * second SORT or header SEARCH of a folder does not touch the message files.
 */
import type { MessageInfo } from '@courier-ts/maildir';
import type { HeaderField } from './header-fields.js';
import { parseHeaderBlock } from './header-fields.js';

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
  /** Messages whose headers are kept (default 50,000). */
  readonly maxEntries?: number;
}

export class HeaderCache {
  readonly #max: number;
  readonly #map = new Map<string, readonly HeaderField[]>();
  hits = 0;
  misses = 0;

  constructor(options: HeaderCacheOptions = {}) {
    this.#max = options.maxEntries ?? 50_000;
  }

  /** The message's own header block, parsed (from the cache, else read and cached). */
  async headers(source: MessageSource, msg: MessageInfo): Promise<readonly HeaderField[]> {
    const id = `${source.path}\0${msg.key}`;
    const hit = this.#map.get(id);
    if (hit !== undefined) {
      this.hits++;
      this.#map.delete(id);
      this.#map.set(id, hit);
      return hit;
    }
    this.misses++;
    const fields = parseHeaderBlock(await source.readHeaders(msg, MAX_HEADER_BYTES));
    this.#map.set(id, fields);
    if (this.#map.size > this.#max) {
      const oldest = this.#map.keys().next().value;
      if (oldest !== undefined) this.#map.delete(oldest);
    }
    return fields;
  }

  get size(): number {
    return this.#map.size;
  }
}
