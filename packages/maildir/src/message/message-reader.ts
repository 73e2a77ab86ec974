/** Streams a message file in its CRLF form, following renames by other processes (flag changes). */
import { close as closeFd, open as openFd, read as readFd } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { MessageGoneError } from '../errors.js';
import { crlfRange, lfToCrlf } from './crlf.js';
import { MimeScanner, type ScanSummary } from './mime-scan.js';

const READ_CHUNK = 64 * 1024;
/** Most header blocks fit in the first read. */
const HEADER_FIRST_READ = 8 * 1024;

/** Current name of the message in cur/, after a rename by someone else; undefined = gone. */
export type LocateFile = (key: string) => Promise<string | undefined>;

async function openFollowing(curDir: string, filename: string, key: string, uid: number, locate: LocateFile) {
  try {
    return await open(join(curDir, filename), 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    const now = await locate(key);
    if (now === undefined) throw new MessageGoneError(uid, { cause: err });
    try {
      return await open(join(curDir, now), 'r');
    } catch (err2) {
      throw new MessageGoneError(uid, { cause: err2 });
    }
  }
}

/** The stored (LF) bytes of a message, following a rename by another process. */
export async function* rawMessage(
  curDir: string,
  msg: { readonly filename: string; readonly key: string; readonly uid: number },
  locate: LocateFile,
): AsyncGenerator<Buffer> {
  const fh = await openFollowing(curDir, msg.filename, msg.key, msg.uid, locate);
  const stream = fh.createReadStream({ highWaterMark: 64 * 1024, autoClose: false });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) yield chunk;
  } finally {
    stream.destroy();
    await fh.close().catch(() => {});
  }
}

/** Reads after the first: big, so that a large message costs few thread-pool round trips. */
const STREAM_CHUNK = 256 * 1024;
/** First read when the size is not known: most messages fit. */
const FIRST_READ = 16 * 1024;
/** A message up to this size (by its size hint) is read in one go; a larger one is streamed. */
const WHOLE_READ_MAX = 512 * 1024;

function openFdPromise(path: string): Promise<number> {
  return new Promise((resolve, reject) => openFd(path, 'r', (err, fd) => (err ? reject(err) : resolve(fd))));
}

/**
 * The CRLF form of a message file (or a range of it): open, positioned reads, close, with the
 * callback fs API (a FileHandle and a read stream cost several times more per small message). A
 * message within `sizeHint` bytes is one read. Each chunk is converted as it is read, and read
 * only when the consumer asks for more (backpressure).
 */
class CrlfFileStream extends Readable {
  private fd = -1;
  private pos = 0;
  /** CRLF offset of the next converted byte. */
  private outPos = 0;
  private next: number;
  private spare: Buffer | undefined;
  private reading = false;

  constructor(
    private readonly curDir: string,
    private readonly msg: { readonly filename: string; readonly key: string; readonly uid: number },
    private readonly locate: LocateFile,
    private readonly start: number,
    private readonly end: number,
    sizeHint: number | undefined,
  ) {
    super({ highWaterMark: STREAM_CHUNK });
    // +1: a file of exactly sizeHint bytes then ends with a short read, not a second one.
    this.next = sizeHint === undefined ? FIRST_READ : Math.min(Math.max(sizeHint + 1, 512), WHOLE_READ_MAX);
  }

  override _construct(callback: (error?: Error | null) => void): void {
    this.openFollowing().then(
      (fd) => {
        this.fd = fd;
        callback();
      },
      (err: Error) => callback(err),
    );
  }

  private async openFollowing(): Promise<number> {
    const { curDir, msg } = this;
    try {
      // curDir is a clean path and a name has no `/`: no path.join (it normalizes every time)
      return await openFdPromise(`${curDir}/${msg.filename}`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      const now = await this.locate(msg.key);
      if (now === undefined) throw new MessageGoneError(msg.uid, { cause: err });
      try {
        return await openFdPromise(`${curDir}/${now}`);
      } catch (err2) {
        throw new MessageGoneError(msg.uid, { cause: err2 });
      }
    }
  }

  override _read(): void {
    if (this.outPos >= this.end) {
      this.push(null);
      return;
    }
    const want = this.next;
    this.next = STREAM_CHUNK;
    const buf = this.spare && this.spare.length >= want ? this.spare : Buffer.allocUnsafe(want);
    this.spare = undefined;
    const fd = this.fd;
    this.reading = true;
    readFd(fd, buf, 0, want, this.pos, (err, n) => {
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
      if (n === 0) {
        this.push(null);
        return;
      }
      this.pos += n;
      const raw = buf.subarray(0, n);
      const out = lfToCrlf(raw);
      // The read buffer is free again once converted into a new one.
      if (out !== raw && n === want) this.spare = buf;
      const from = this.outPos;
      this.outPos += out.length;
      const a = Math.max(0, this.start - from);
      const b = Math.min(out.length, this.end - from);
      if (b > a) this.push(a === 0 && b === out.length ? out : out.subarray(a, b));
      if (n < want || this.outPos >= this.end) this.push(null);
      else if (b <= a) this._read();
    });
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    const fd = this.fd;
    this.fd = -1;
    // Not under a read in flight (the number could be reused meanwhile): that read closes it.
    if (fd >= 0 && !this.reading) closeFd(fd, () => {});
    callback(err);
  }
}

/**
 * CRLF form of a message (or a byte range of it), as a Readable. `sizeHint`: the size of the
 * stored file if known (e.g. from courierpop3dsizelist), to read a small message in one go.
 */
export function openCrlfStream(
  curDir: string,
  msg: { readonly filename: string; readonly key: string; readonly uid: number },
  locate: LocateFile,
  range: { readonly start?: number; readonly end?: number } = {},
  filter?: (raw: AsyncIterable<Buffer>) => AsyncIterable<Buffer>,
  options: { readonly sizeHint?: number } = {},
): Readable {
  const start = range.start ?? 0;
  const end = range.end ?? Number.POSITIVE_INFINITY;
  if (!filter) return new CrlfFileStream(curDir, msg, locate, start, end, options.sizeHint);
  const raw = rawMessage(curDir, msg, locate);
  return Readable.from(crlfRange(filter(raw), start, end), { objectMode: false });
}

/** Raw LF bytes of the header block, up to maxBytes, ending after the blank line when found. */
export async function readHeaderBlock(path: string, maxBytes: number): Promise<Buffer> {
  // One file handle and positioned reads: a read stream costs ~5x more per small file.
  const fh = await open(path, 'r');
  try {
    const parts: Buffer[] = [];
    let total = 0;
    let prevLast = 10; // the file starts at a line start: a leading blank line is an empty header
    let size = Math.min(HEADER_FIRST_READ, maxBytes);
    while (total < maxBytes) {
      const want = Math.min(size, maxBytes - total);
      const buf = Buffer.allocUnsafe(want);
      const { bytesRead } = await fh.read(buf, 0, want, total);
      if (bytesRead === 0) break;
      const chunk = buf.subarray(0, bytesRead);
      let cut = -1;
      if (prevLast === 10 && chunk[0] === 10) cut = 1;
      else {
        const i = chunk.indexOf('\n\n');
        if (i >= 0) cut = i + 2;
      }
      if (cut >= 0) {
        parts.push(chunk.subarray(0, cut));
        break;
      }
      parts.push(chunk);
      total += bytesRead;
      prevLast = chunk[bytesRead - 1]!;
      size = Math.min(size * 4, READ_CHUNK);
    }
    return parts.length === 1 ? Buffer.from(parts[0]!) : Buffer.concat(parts);
  } finally {
    await fh.close();
  }
}

/** Size of the file, its LF count and 8-bit headers (one pass, constant memory). */
export async function measureFile(path: string): Promise<ScanSummary> {
  const scanner = new MimeScanner();
  const fh = await open(path, 'r');
  try {
    // Small first (most messages are a few KiB: 10,000 of them are measured at a first login).
    let want = FIRST_READ;
    for (;;) {
      // A fresh buffer per read: the scanner keeps views of a line that spans reads.
      const buf = Buffer.allocUnsafe(want);
      const { bytesRead } = await fh.read(buf, 0, want, null);
      if (bytesRead === 0) break;
      scanner.push(buf.subarray(0, bytesRead));
      // A short read of a regular file is its end: no extra read to see 0 bytes.
      if (bytesRead < want) break;
      want = READ_CHUNK;
    }
  } finally {
    await fh.close();
  }
  return scanner.end();
}
