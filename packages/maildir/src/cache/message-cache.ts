/**
 * A small per-folder cache file of our own (Courier ignores it): opaque values supplied by a server
 * (imapd stores each message's ENVELOPE and BODYSTRUCTURE), keyed by the message's unique key and
 * file size. Appended to in checked frames, one O_APPEND write each (two processes may append at
 * once; the file is created by a no-replace link), rewritten through tmp/ + rename, which drops damaged
 * parts, duplicates and the entries of expunged messages. Never loaded whole: lookups read the
 * file forward once, in the order the values are asked for, holding a bounded lookahead.
 */
import { randomBytes } from 'node:crypto';
import { link, open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { CACHE_MAGIC, type CacheRecord, encodeFrame, encodeRecord, MAX_FRAME } from './cache-record.js';
import { RecordStream } from './record-stream.js';

export const STRUCTURE_CACHE_FILE = 'courier-ts.structure';

export interface MessageCacheOptions {
  /** File name in the folder directory (default `courier-ts.structure`). */
  readonly file?: string;
  /** The file never grows past this (appends are dropped; default 256 MiB). */
  readonly maxFileBytes?: number;
  /** Values larger than this are not stored (default 1 MiB). */
  readonly maxValueBytes?: number;
  /** Bytes of values read ahead of the lookups and kept for later (default 8 MiB). */
  readonly maxLookahead?: number;
}

export interface MessageCacheStats {
  /** The file was read to its end. */
  readonly complete: boolean;
  /** Part of the file could not be read (it should be rewritten). */
  readonly damaged: boolean;
  /** Records read; of these, records for keys not asked for or seen before. */
  readonly records: number;
  readonly unwanted: number;
  /** Bytes of records read. */
  readonly bytes: number;
}

const APPEND_BATCH = 256 * 1024;
const PENDING = Symbol('pending');
const SKIP = Symbol('skip');

function pathOf(folderPath: string, o: MessageCacheOptions): string {
  return join(folderPath, o.file ?? STRUCTURE_CACHE_FILE);
}

function tmpPath(folderPath: string): string {
  return join(
    folderPath,
    'tmp',
    `${Math.floor(Date.now() / 1000)}.P${process.pid}R${randomBytes(6).toString('hex')}.cache`,
  );
}

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

/** true: the file starts with our magic line; false: it does not; undefined: there is no file. */
async function startsWithMagic(path: string): Promise<boolean | undefined> {
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const head = Buffer.alloc(CACHE_MAGIC.length);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    return bytesRead === head.length && head.equals(CACHE_MAGIC);
  } catch {
    return false;
  } finally {
    await fh.close();
  }
}

/** Encoded records grouped into frames of about APPEND_BATCH bytes. */
function framed(encoded: readonly Buffer[]): Buffer[] {
  const frames: Buffer[] = [];
  for (let i = 0; i < encoded.length; ) {
    const batch: Buffer[] = [];
    let n = 0;
    while (i < encoded.length && (n === 0 || n + encoded[i]!.length <= APPEND_BATCH)) {
      n += encoded[i]!.length;
      batch.push(encoded[i++]!);
    }
    frames.push(encodeFrame(batch));
  }
  return frames;
}

/** The leading frames that fit in `room` bytes. */
function fitting(encoded: readonly Buffer[], room: number): readonly Buffer[] {
  let n = 0;
  let i = 0;
  while (i < encoded.length && n + encoded[i]!.length <= room) n += encoded[i++]!.length;
  return encoded.slice(0, i);
}

/**
 * Appends records (whole-record writes). A missing file is created atomically; a file that does
 * not start with our magic line is replaced.
 */
export async function appendMessageCache(
  folderPath: string,
  records: readonly CacheRecord[],
  options: MessageCacheOptions = {},
): Promise<void> {
  // A frame holding one record must stay readable (MAX_FRAME).
  const maxValue = Math.min(options.maxValueBytes ?? 1024 * 1024, MAX_FRAME / 2);
  const encoded: Buffer[] = [];
  for (const r of records) {
    const b = r.value.length <= maxValue ? encodeRecord(r) : undefined;
    if (b) encoded.push(b);
  }
  if (encoded.length === 0) return;
  const path = pathOf(folderPath, options);
  const max = options.maxFileBytes ?? 256 * 1024 * 1024;
  const frames = framed(encoded);
  const current = await startsWithMagic(path);
  if (current !== true) {
    const bytes = Buffer.concat([CACHE_MAGIC, ...fitting(frames, max - CACHE_MAGIC.length)]);
    const tmp = tmpPath(folderPath);
    try {
      const fh = await open(tmp, 'wx', 0o600);
      try {
        await fh.writeFile(bytes);
      } finally {
        await fh.close();
      }
      // A missing file is created without replacing one made meanwhile; one that is not ours is replaced.
      if (current === undefined) await link(tmp, path);
      else await rename(tmp, path);
      return;
    } catch (err) {
      // Someone else created it meanwhile: append to theirs.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return;
    } finally {
      await unlink(tmp).catch(() => {});
    }
  }
  const fh = await open(path, 'a');
  try {
    // One write() per frame: appends of two processes interleave only between frames.
    for (const frame of fitting(frames, max - (await fh.stat()).size)) await fh.write(frame);
  } finally {
    await fh.close();
  }
}

/**
 * Rewrites the file with the readable records whose key `keep` accepts, the first of each key.
 * Returns the number of records kept. A missing file stays missing.
 */
export async function rewriteMessageCache(
  folderPath: string,
  keep: (key: string) => boolean,
  options: MessageCacheOptions = {},
): Promise<number> {
  const path = pathOf(folderPath, options);
  const src = new RecordStream(path);
  const tmp = tmpPath(folderPath);
  const seen = new Set<string>();
  let kept = 0;
  try {
    const fh = await open(tmp, 'wx', 0o600);
    try {
      await fh.write(CACHE_MAGIC);
      let batch: Buffer[] = [];
      let n = 0;
      for (let r = await src.next(); r !== undefined; r = await src.next()) {
        if (seen.has(r.key) || !keep(r.key)) continue;
        seen.add(r.key);
        const b = encodeRecord(r);
        if (!b) continue;
        batch.push(b);
        n += b.length;
        kept++;
        if (n >= APPEND_BATCH) {
          await fh.write(encodeFrame(batch));
          batch = [];
          n = 0;
        }
      }
      if (batch.length > 0) await fh.write(encodeFrame(batch));
    } finally {
      await fh.close();
    }
    if (!src.valid && !src.damaged) {
      await unlink(tmp);
      return 0;
    }
    await rename(tmp, path);
    return kept;
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw err;
  } finally {
    await src.close();
  }
}
