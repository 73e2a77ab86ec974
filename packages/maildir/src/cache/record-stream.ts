/**
 * Sequential reading of a per-message cache file in large chunks: one record at a time, memory
 * bounded by the chunk size plus the largest frame. A missing file reads as empty; a bad magic
 * line, a frame that fails its check or a cut-off last frame end the stream and mark it damaged.
 */
import { open } from 'node:fs/promises';
import { CACHE_MAGIC, type CacheRecord, parseFrame, parseRecord } from './cache-record.js';

const CHUNK = 256 * 1024;

export class RecordStream {
  readonly #path: string;
  #fh: Awaited<ReturnType<typeof open>> | undefined;
  #opened = false;
  #buf: Buffer = Buffer.alloc(0);
  #at = 0;
  #pos = 0;
  #eof = false;
  #ended = false;
  /** The frame being read and the offset of its next record. */
  #frame: Buffer = Buffer.alloc(0);
  #inFrame = 0;
  /** The file held something unreadable (or was cut off): it should be rewritten. */
  damaged = false;
  /** Bytes of frames read so far. */
  bytes = 0;
  /** The file exists and its magic line is right. */
  valid = false;

  constructor(path: string) {
    this.#path = path;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** The next record when it is buffered (null: call next()); its value is a view into the buffer. */
  nextBuffered(): CacheRecord | null {
    if (this.#inFrame >= this.#frame.length) return null;
    const r = parseRecord(this.#frame, this.#inFrame);
    if (r === undefined) return null;
    this.#inFrame += r.length;
    return r.record;
  }

  /** The next record (its value a view into the read buffer), or undefined at the end. */
  async next(): Promise<CacheRecord | undefined> {
    const buffered = this.nextBuffered();
    if (buffered !== null) return buffered;
    if (this.#inFrame < this.#frame.length) {
      // A frame whose CRC is right but whose records do not fit it: not ours.
      this.damaged = true;
      return this.#end();
    }
    if (this.#ended) return undefined;
    if (!this.#opened && !(await this.#open())) return this.#end();
    for (;;) {
      const p = parseFrame(this.#buf, this.#at);
      if (p.kind === 'frame') {
        this.#at += p.length;
        this.bytes += p.length;
        this.#frame = p.payload;
        this.#inFrame = 0;
        return this.next();
      }
      if (p.kind === 'bad') {
        this.damaged = true;
        return this.#end();
      }
      if (this.#eof) {
        if (this.#at < this.#buf.length) this.damaged = true;
        return this.#end();
      }
      await this.#fill(p.need);
    }
  }

  async close(): Promise<void> {
    this.#ended = true;
    this.#buf = Buffer.alloc(0);
    this.#frame = Buffer.alloc(0);
    this.#inFrame = 0;
    const fh = this.#fh;
    this.#fh = undefined;
    await fh?.close().catch(() => {});
  }

  async #end(): Promise<undefined> {
    await this.close();
    return undefined;
  }

  async #open(): Promise<boolean> {
    this.#opened = true;
    try {
      this.#fh = await open(this.#path, 'r');
    } catch {
      return false;
    }
    await this.#fill(CACHE_MAGIC.length);
    if (
      this.#buf.length < CACHE_MAGIC.length ||
      !this.#buf.subarray(0, CACHE_MAGIC.length).equals(CACHE_MAGIC)
    ) {
      this.damaged = this.#buf.length > 0;
      return false;
    }
    this.valid = true;
    this.#at = CACHE_MAGIC.length;
    return true;
  }

  /** Reads until `need` bytes from the current record start are buffered, or the end of file. */
  async #fill(need: number): Promise<void> {
    const fh = this.#fh;
    if (fh === undefined) {
      this.#eof = true;
      return;
    }
    const rest = this.#buf.subarray(this.#at);
    const want = Math.max(CHUNK, need);
    const next = Buffer.allocUnsafe(rest.length + want);
    rest.copy(next, 0);
    let have = rest.length;
    while (have < need || have === rest.length) {
      const { bytesRead } = await fh.read(next, have, next.length - have, this.#pos);
      if (bytesRead === 0) {
        this.#eof = true;
        break;
      }
      this.#pos += bytesRead;
      have += bytesRead;
      if (have >= need) break;
    }
    this.#buf = next.subarray(0, have);
    this.#at = 0;
  }
}
