/** Streams a message file in its CRLF form, following renames by other processes (flag changes). */
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { MessageGoneError } from '../errors.js';
import { crlfRange } from './crlf.js';
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

/** CRLF form of a message (or a byte range of it), as a Readable. */
export function openCrlfStream(
  curDir: string,
  msg: { readonly filename: string; readonly key: string; readonly uid: number },
  locate: LocateFile,
  range: { readonly start?: number; readonly end?: number } = {},
  filter?: (raw: AsyncIterable<Buffer>) => AsyncIterable<Buffer>,
): Readable {
  const raw = rawMessage(curDir, msg, locate);
  const src = filter ? filter(raw) : raw;
  return Readable.from(crlfRange(src, range.start ?? 0, range.end ?? Number.POSITIVE_INFINITY), {
    objectMode: false,
  });
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
    for (;;) {
      // A fresh buffer per read: the scanner keeps views of a line that spans reads.
      const buf = Buffer.allocUnsafe(READ_CHUNK);
      const { bytesRead } = await fh.read(buf, 0, READ_CHUNK, null);
      if (bytesRead === 0) break;
      scanner.push(buf.subarray(0, bytesRead));
    }
  } finally {
    await fh.close();
  }
  return scanner.end();
}
