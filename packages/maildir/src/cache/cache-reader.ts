/**
 * Reading a folder's per-message cache file (message-cache.ts): lookups for a known set of keys,
 * reading the file forward once, holding a bounded lookahead of values read before they are
 * asked for.
 */

import { type MessageCacheOptions, type MessageCacheStats, pathOf } from './cache-options.js';
import type { CacheRecord } from './cache-record.js';
import { RecordStream } from './record-stream.js';

const PENDING = Symbol('pending');
const SKIP = Symbol('skip');

/**
 * Lookups for a known set of keys, in about the order the file holds them (values appended in
 * UID order come back in UID order with no lookahead at all). Lookups are serialised; one that
 * the buffered part of the file answers completes without waiting for I/O.
 */
export class MessageCacheReader {
  readonly #stream: RecordStream;
  readonly #wanted: ReadonlySet<string>;
  readonly #ahead = new Map<string, CacheRecord>();
  readonly #seen = new Set<string>();
  readonly #maxAhead: number;
  #aheadBytes = 0;
  #records = 0;
  #unwanted = 0;
  #queue: Promise<unknown> = Promise.resolve();
  /** Lookups waiting on I/O. */
  #waiting = 0;

  constructor(folderPath: string, wanted: ReadonlySet<string>, options: MessageCacheOptions = {}) {
    this.#stream = new RecordStream(pathOf(folderPath, options));
    this.#wanted = wanted;
    this.#maxAhead = options.maxLookahead ?? 8 * 1024 * 1024;
  }

  /**
   * The value stored for `key`, if its size matches (NaN = not known, any size). It may be a view
   * into a read buffer of up to 256 KiB: copy it to keep it long.
   */
  get(key: string, size: number): Promise<Buffer | undefined> {
    const now = this.tryGet(key, size);
    if (now !== null) return Promise.resolve(now);
    this.#waiting++;
    const p = this.#queue.then(() => this.#lookup(key, size));
    this.#queue = p.catch(() => undefined).finally(() => this.#waiting--);
    return p;
  }

  /** get() when it can answer without I/O (null: it cannot, call get()). */
  tryGet(key: string, size: number): Buffer | undefined | null {
    if (this.#waiting > 0) return null;
    const now = this.#lookupBuffered(key, size);
    return now === PENDING ? null : now;
  }

  get stats(): MessageCacheStats {
    return {
      complete: this.#stream.ended && !this.#stream.damaged,
      damaged: this.#stream.damaged,
      records: this.#records,
      unwanted: this.#unwanted,
      bytes: this.#stream.bytes,
    };
  }

  /** Reads the rest of the file (for complete stats) without keeping values. */
  async drain(): Promise<void> {
    await this.#queue;
    while ((await this.#nextRecord()) !== undefined) {}
  }

  async close(): Promise<void> {
    await this.#queue.catch(() => {});
    this.#ahead.clear();
    await this.#stream.close();
  }

  /** The lookup from the lookahead and the buffered records only; PENDING when I/O is needed. */
  #lookupBuffered(key: string, size: number): Buffer | undefined | typeof PENDING {
    const held = this.#ahead.get(key);
    if (held !== undefined) {
      this.#ahead.delete(key);
      this.#aheadBytes -= held.value.length;
      return Number.isNaN(size) || held.size === size ? held.value : undefined;
    }
    // Lookahead full: a miss, without reading on (the entries ahead are asked for later).
    if (this.#aheadBytes > this.#maxAhead) return undefined;
    for (let r = this.#wantedRecord(this.#stream.nextBuffered()); r !== null; ) {
      if (r !== SKIP) {
        const hit = this.#found(r, key, size);
        if (hit !== PENDING) return hit;
      }
      r = this.#wantedRecord(this.#stream.nextBuffered());
    }
    return this.#stream.ended ? undefined : PENDING;
  }

  async #lookup(key: string, size: number): Promise<Buffer | undefined> {
    const now = this.#lookupBuffered(key, size);
    if (now !== PENDING) return now;
    for (;;) {
      const r = await this.#nextRecord();
      if (r === undefined) return undefined;
      const hit = this.#found(r, key, size);
      if (hit !== PENDING) return hit;
    }
  }

  /**
   * The answer when `r` is the record looked for; else keeps it ahead and PENDING, or, when that
   * fills the lookahead, a miss for `key` (no entry is dropped: a dropped one would be scanned
   * and appended again).
   */
  #found(r: CacheRecord, key: string, size: number): Buffer | undefined | typeof PENDING {
    if (r.key === key) return Number.isNaN(size) || r.size === size ? r.value : undefined;
    this.#ahead.set(r.key, { key: r.key, size: r.size, value: Buffer.from(r.value) });
    this.#aheadBytes += r.value.length;
    return this.#aheadBytes > this.#maxAhead ? undefined : PENDING;
  }

  /** Counts a record; SKIP for one not wanted or seen before. */
  #wantedRecord(r: CacheRecord | null): CacheRecord | null | typeof SKIP {
    if (r === null) return null;
    this.#records++;
    if (!this.#wanted.has(r.key) || this.#seen.has(r.key)) {
      this.#unwanted++;
      return SKIP;
    }
    this.#seen.add(r.key);
    return r;
  }

  /** The next wanted record not seen before (others are counted as unwanted). */
  async #nextRecord(): Promise<CacheRecord | undefined> {
    for (;;) {
      const r = this.#wantedRecord((await this.#stream.next()) ?? null);
      if (r === null) return undefined;
      if (r !== SKIP) return r;
    }
  }
}
