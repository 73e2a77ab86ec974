/**
 * The optional native helper (packages/maildir/native, built at install time): reads a message
 * file or a chunk of it and converts it to the served form (LF -> CRLF, optionally POP3
 * dot-stuffing) on the libuv thread pool, in one pool job per file or chunk. Without it (no C
 * compiler at install) the callers use their JavaScript code, which gives the same bytes.
 */

import { createRequire } from 'node:module';
import { constants } from 'node:os';

/** Conversion flags (maildir_native.c). */
export const SERVE = {
  /** A `.` at a line start gets another `.` (POP3 multi-line). */
  DOT_STUFF: 1,
  /** The chunk starts a line (for DOT_STUFF). */
  AT_LINE_START: 2,
  /** readFile also returns the stored bytes. */
  WANT_RAW: 4,
} as const;

type Errno = number;

export interface MaildirNative {
  /** The served form of `src` (synchronous: for small chunks only). */
  convert(src: Buffer, flags: number): Buffer;
  /** Reads `length` bytes at `position` (fewer at the end of the file) and converts them. */
  readChunk(
    fd: number,
    position: number,
    length: number,
    flags: number,
    cb: (errno: Errno, out: Buffer | null, raw: null, bytesRead: number) => void,
  ): void;
  /** Opens, reads and converts a file of at most `max` bytes (else out is null: rawSize is its size). */
  readFile(
    path: string,
    max: number,
    flags: number,
    cb: (errno: Errno, out: Buffer | null, raw: Buffer | null, rawSize: number) => void,
  ): void;
}

/** The addon; undefined when it was not built. */
export function loadMaildirNative(): MaildirNative | undefined {
  const require = createRequire(import.meta.url);
  for (const rel of [
    '../../native/build/Release/maildir_native.node',
    '../../native/build/Debug/maildir_native.node',
  ]) {
    try {
      return require(rel) as MaildirNative;
    } catch {
      // not built in this configuration
    }
  }
  return undefined;
}

/**
 * The addon every reader uses unless told otherwise (tests pass `undefined` to run the JavaScript
 * code). Loaded once with the module, like any other import; never changed.
 */
export const MAILDIR_NATIVE: MaildirNative | undefined = loadMaildirNative();

/** An Error like fs gives for a system call's errno (code ENOENT etc.). */
export function errnoError(errno: number, syscall: string, path?: string): NodeJS.ErrnoException {
  const code = Object.entries(constants.errno).find(([, n]) => n === errno)?.[0] ?? `E${String(errno)}`;
  const err: NodeJS.ErrnoException = new Error(
    `${code}: ${syscall} failed${path === undefined ? '' : `, '${path}'`}`,
  );
  err.code = code;
  err.errno = -errno;
  err.syscall = syscall;
  if (path !== undefined) err.path = path;
  return err;
}
