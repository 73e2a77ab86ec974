/**
 * The served (CRLF) form of a message file, or a byte range of it, as a Readable: open, positioned
 * reads, close, through the callback fs API or the native helper (native.ts), which reads and
 * converts on the thread pool (a small file: one pool job for open, read, convert and close).
 * Follows a rename by another process (flag change). Chunks are read only when the consumer asks
 * for more (backpressure); a large file is streamed in STREAM_CHUNK reads.
 */
import { close as closeFd, open as openFd, read as readFd } from 'node:fs';
import { Readable } from 'node:stream';
import { MessageGoneError } from '../errors.js';
import { lfToCrlf } from './crlf.js';
import { errnoError, type MaildirNative, SERVE, servedBuffer } from './native.js';
import { readServedFile } from './served-file.js';

/** Current name of the message in cur/, after a rename by someone else; undefined = gone. */
export type LocateFile = (key: string) => Promise<string | undefined>;

export interface MessageRef {
  readonly filename: string;
  readonly key: string;
  readonly uid: number;
}

/**
 * Reads after the first: big, so that a large message costs few thread-pool round trips (each
 * costs tens of microseconds of the event loop's time, whatever its size).
 */
const STREAM_CHUNK = 1024 * 1024;
/** First read when the size is not known (JavaScript reads): most messages fit. */
const FIRST_READ = 16 * 1024;
/** A message up to this size (by its size hint) is read in one go; a larger one is streamed. */
const WHOLE_READ_MAX = 1024 * 1024;

const LF = 0x0a;
const END_AT_LINE_START = Buffer.from('.\r\n', 'latin1');
const END_MID_LINE = Buffer.from('\r\n.\r\n', 'latin1');

export interface CrlfFileStreamOptions {
  /** CRLF offsets [start, end) to serve. */
  readonly start: number;
  readonly end: number;
  /** Size of the stored file if known (e.g. from courierpop3dsizelist): a small one is one read. */
  readonly sizeHint: number | undefined;
  /** The native helper; undefined: JavaScript reads and conversion. */
  readonly native: MaildirNative | undefined;
  /**
   * POP3 multi-line form (native only, whole message): dot-stuffed, with the final CRLF when the
   * message lacks one and the `.` line.
   */
  readonly dotStuff: boolean;
}

function openFdPromise(path: string): Promise<number> {
  return new Promise((resolve, reject) => openFd(path, 'r', (err, fd) => (err ? reject(err) : resolve(fd))));
}

export class CrlfFileStream extends Readable {
  private fd = -1;
  private pos = 0;
  /** CRLF offset of the next converted byte. */
  private outPos = 0;
  private next: number;
  private spare: Buffer | undefined;
  private reading = false;
  /** The whole file, read and converted at construction (native, small file). */
  private whole: Buffer | undefined;
  private atLineStart = true;
  private readonly o: CrlfFileStreamOptions;

  constructor(
    private readonly curDir: string,
    private readonly msg: MessageRef,
    private readonly locate: LocateFile,
    options: CrlfFileStreamOptions,
  ) {
    super({ highWaterMark: STREAM_CHUNK });
    if (
      options.dotStuff &&
      (!options.native || options.start !== 0 || options.end !== Number.POSITIVE_INFINITY)
    )
      throw new RangeError('dot-stuffing needs the native helper and the whole message');
    this.o = options;
    const hint = options.sizeHint;
    if (hint !== undefined) {
      // +1: a file of exactly sizeHint bytes then ends with a short read, not a second one.
      this.next = Math.min(Math.max(hint + 1, 512), WHOLE_READ_MAX);
    } else if (options.native) {
      // A native read allocates what it reads: no need to start small; a range needs at most
      // `end` stored bytes (each is at least one served byte).
      this.next = Math.min(STREAM_CHUNK, Math.max(options.end, 512));
    } else {
      this.next = FIRST_READ;
    }
  }

  /** Stored bytes read so far (all of them once the stream has ended). */
  get rawBytes(): number {
    return this.pos;
  }

  /** Whether the chunks are in the POP3 multi-line form (dot-stuffed, `.` line included). */
  get dotStuffed(): boolean {
    return this.o.dotStuff;
  }

  override _construct(callback: (error?: Error | null) => void): void {
    const native = this.o.native;
    const wholeFirst = native && this.o.sizeHint !== undefined && this.o.sizeHint <= WHOLE_READ_MAX;
    const work = wholeFirst ? this.readWhole(native) : this.openFd();
    work.then(
      () => callback(),
      (err: Error) => callback(err),
    );
  }

  /** Calls `attempt` with the file's name, then with its new name after a rename; gone = MessageGoneError. */
  private async following<T>(attempt: (path: string) => Promise<T>): Promise<T> {
    const { curDir, msg } = this;
    try {
      // curDir is a clean path and a name has no `/`: no path.join (it normalizes every time)
      return await attempt(`${curDir}/${msg.filename}`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      const now = await this.locate(msg.key);
      if (now === undefined) throw new MessageGoneError(msg.uid, { cause: err });
      try {
        return await attempt(`${curDir}/${now}`);
      } catch (err2) {
        throw new MessageGoneError(msg.uid, { cause: err2 });
      }
    }
  }

  private async openFd(): Promise<void> {
    this.fd = await this.following(openFdPromise);
  }

  private async readWhole(native: MaildirNative): Promise<void> {
    const dotStuff = this.o.dotStuff;
    const got = await this.following((path) =>
      readServedFile(path, WHOLE_READ_MAX, { native, dotStuff, pooled: true }),
    );
    if (got.served) {
      this.whole = got.served;
      this.pos = got.rawSize;
      return;
    }
    // Larger than its hint said: streamed after all.
    this.next = STREAM_CHUNK;
    await this.openFd();
  }

  override _read(): void {
    if (this.whole) {
      const out = this.whole;
      this.whole = undefined;
      this.deliver(out, true);
      return;
    }
    if (this.outPos >= this.end) {
      this.push(null);
      return;
    }
    const want = this.next;
    this.next = STREAM_CHUNK;
    const fd = this.fd;
    this.reading = true;
    const done = (err: Error | null, out: Buffer, n: number): void => {
      this.reading = false;
      if (this.destroyed) {
        // destroyed while reading: the descriptor was left open for this read
        closeFd(fd, () => {});
        return;
      }
      if (err) {
        this.destroy(err);
        return;
      }
      this.pos += n;
      if (this.deliver(out, n < want)) return;
      this._read();
    };
    const native = this.o.native;
    if (native) {
      const flags = this.o.dotStuff ? SERVE.DOT_STUFF | (this.atLineStart ? SERVE.AT_LINE_START : 0) : 0;
      native.readChunk(fd, this.pos, want, flags | SERVE.POOLED, (errno, out, _raw, n, len, slot) => {
        const buf = servedBuffer(native, out, len, slot) ?? Buffer.alloc(0);
        done(errno === 0 ? null : errnoError(errno, 'read'), buf, n);
      });
      return;
    }
    const buf = this.spare && this.spare.length >= want ? this.spare : Buffer.allocUnsafe(want);
    this.spare = undefined;
    readFd(fd, buf, 0, want, this.pos, (err, n) => {
      if (err) {
        done(err, buf, 0);
        return;
      }
      const raw = buf.subarray(0, n);
      const out = lfToCrlf(raw);
      // The read buffer is free again once converted into a new one.
      if (out !== raw && n === want) this.spare = buf;
      done(null, out, n);
    });
  }

  private get end(): number {
    return this.o.end;
  }

  /**
   * Pushes the part of `out` (the next converted bytes) inside the range; ends the stream at the
   * range's end or at `last`. Returns true when the consumer will ask again (or the stream ended),
   * false when nothing was pushed and the caller must read on.
   */
  private deliver(out: Buffer, last: boolean): boolean {
    const from = this.outPos;
    this.outPos += out.length;
    if (out.length > 0) this.atLineStart = out[out.length - 1] === LF;
    const a = Math.max(0, this.o.start - from);
    const b = Math.min(out.length, this.end - from);
    if (b > a) this.push(a === 0 && b === out.length ? out : out.subarray(a, b));
    if (last || this.outPos >= this.end) {
      if (this.o.dotStuff) this.push(this.atLineStart ? END_AT_LINE_START : END_MID_LINE);
      this.push(null);
      return true;
    }
    return b > a;
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    const fd = this.fd;
    this.fd = -1;
    this.whole = undefined;
    // Not under a read in flight (the number could be reused meanwhile): that read closes it.
    if (fd >= 0 && !this.reading) closeFd(fd, () => {});
    callback(err);
  }
}
