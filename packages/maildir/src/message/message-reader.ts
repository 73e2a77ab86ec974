/** Streams a message file in its CRLF form, following renames by other processes (flag changes). */
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { MessageGoneError } from '../errors.js';
import { closeFd, openFd, readFd } from '../fs/fd-calls.js';
import { crlfRange } from './crlf.js';
import { CrlfFileStream, type LocateFile } from './crlf-file-stream.js';
import { MimeScanner, type ScanSummary } from './mime-scan.js';
import { MAILDIR_NATIVE, type MaildirNative } from './native.js';

const READ_CHUNK = 64 * 1024;
/** measureFile's reads (into one buffer). */
export const MEASURE_READ = 64 * 1024;
/** Most header blocks fit in the first read. */
const HEADER_FIRST_READ = 8 * 1024;

export type { LocateFile } from './crlf-file-stream.js';

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

export interface OpenCrlfOptions {
  /** Size of the stored file if known (e.g. from courierpop3dsizelist): a small one is one read. */
  readonly sizeHint?: number;
  /** POP3 multi-line form (dot-stuffed, `.` line included); only with the native helper. */
  readonly dotStuff?: boolean;
  /** The native helper (default: the built one, if any); undefined: JavaScript only. */
  readonly native?: MaildirNative | undefined;
}

/**
 * CRLF form of a message (or a byte range of it), as a Readable (a CrlfFileStream unless
 * `filter` is given).
 */
export function openCrlfStream(
  curDir: string,
  msg: { readonly filename: string; readonly key: string; readonly uid: number },
  locate: LocateFile,
  range: { readonly start?: number; readonly end?: number } = {},
  filter?: (raw: AsyncIterable<Buffer>) => AsyncIterable<Buffer>,
  options: OpenCrlfOptions = {},
): Readable {
  const start = range.start ?? 0;
  const end = range.end ?? Number.POSITIVE_INFINITY;
  if (!filter) {
    const native = 'native' in options ? options.native : MAILDIR_NATIVE;
    return new CrlfFileStream(curDir, msg, locate, {
      start,
      end,
      sizeHint: options.sizeHint,
      native,
      dotStuff: (options.dotStuff ?? false) && native !== undefined,
    });
  }
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
export async function measureFile(path: string, scratch?: Buffer): Promise<ScanSummary> {
  const scanner = new MimeScanner();
  // One buffer for every read (the scanner copies what it keeps of a line that spans reads); a
  // caller measuring many files passes its own, so that 10,000 files at a first login do not
  // make 10,000 buffers for the collector.
  const buf = scratch ?? Buffer.allocUnsafe(MEASURE_READ);
  const fd = await openFd(path, 'r');
  try {
    for (let pos = 0; ; ) {
      const n = await readFd(fd, buf, 0, buf.length, pos);
      if (n === 0) break;
      scanner.push(buf.subarray(0, n));
      // A short read of a regular file is its end: no extra read to see 0 bytes.
      if (n < buf.length) break;
      pos += n;
    }
  } finally {
    await closeFd(fd);
  }
  return scanner.end();
}
