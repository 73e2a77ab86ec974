/**
 * Message files as SEARCH reads them: plain descriptors (lighter than a FileHandle per file, which
 * matters over 100,000 messages), each piece read into a buffer of its own.
 */
import { close, fstat, open, read } from 'node:fs';
import { promisify } from 'node:util';

const openFd = promisify(open);
const readFd = promisify(read);
const closeFd = promisify(close);
const fstatFd = promisify(fstat);

/**
 * The file size to plan reads with: the known one, else what the maildir name states (`,S=<bytes>`,
 * written by the delivering agent), else NaN. Only a hint: reads stay correct when it is wrong.
 */
export function sizeHint(size: number, filename: string): number {
  if (!Number.isNaN(size)) return size;
  const m = /,S=(\d+)/.exec(filename);
  return m ? Number(m[1]) : Number.NaN;
}

/** The first bytes of a message file, read ahead (ScanPool.prefixes). */
export interface Prefix {
  readonly bytes: Buffer;
  /** `bytes` is the whole file. */
  readonly eof: boolean;
}

/** A message file opened for reading: `read` fills `buf` from `pos`; `close` once done. */
export interface OpenFile {
  read(buf: Buffer, pos: number): Promise<number>;
  size(): Promise<number>;
  close(): Promise<void>;
}

export async function openFile(path: string): Promise<OpenFile> {
  const fd = await openFd(path, 'r');
  return {
    read: async (buf, pos) => (await readFd(fd, buf, 0, buf.length, pos)).bytesRead,
    size: async () => (await fstatFd(fd)).size,
    close: () => closeFd(fd),
  };
}

/**
 * The file in pieces: the first at most `first` bytes, the others at most `rest`. With the size known
 * each read asks for one byte more than what is left, so a short read means EOF (a small message is
 * one read).
 */
export async function* fileChunks(
  path: string,
  knownSize: number,
  first: number,
  rest: number,
  start = 0,
): AsyncGenerator<Buffer> {
  const file = await openFile(path);
  try {
    // Unknown (a lazily opened folder): ask the file rather than allocate `first` for a small one.
    let size = Number.isNaN(knownSize) ? await file.size() : knownSize;
    let pos = start;
    for (;;) {
      if (pos > size) size = Number.NaN; // the stated size was wrong: read to EOF
      const cap = pos === start ? first : rest;
      const want = Number.isNaN(size) ? cap : Math.min(cap, Math.max(0, size - pos) + 1);
      const buf = Buffer.allocUnsafe(want);
      const got = await file.read(buf, pos);
      if (got === 0) return;
      pos += got;
      yield got === want ? buf : buf.subarray(0, got);
      if (got < want && !Number.isNaN(size)) return;
    }
  } finally {
    await file.close();
  }
}
