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
  /** The served bytes come in a reused buffer of the addon's pool (see servedBuffer). */
  POOLED: 8,
} as const;

type Errno = number;

/**
 * The key under which a Buffer carries its "the stream is done with these bytes" hook: the
 * runtime's ReplyWriter calls it once the socket has taken (or dropped) the bytes. A registry
 * symbol: runtime and maildir do not import each other.
 */
export const WRITTEN_HOOK: unique symbol = Symbol.for('courier-ts.written') as never;

/** A job's result: `out` is the pool's ArrayBuffer (the first `pooledLength` bytes) when `slot >= 0`. */
type Done<Raw> = (
  errno: Errno,
  out: Buffer | ArrayBuffer | null,
  raw: Raw,
  size: number,
  pooledLength: number,
  slot: number,
) => void;

export interface MaildirNative {
  /** The served form of `src` (synchronous: for small chunks only). */
  convert(src: Buffer, flags: number): Buffer;
  /** Reads `length` bytes at `position` (fewer at the end of the file) and converts them. */
  readChunk(fd: number, position: number, length: number, flags: number, cb: Done<null>): void;
  /** Opens, reads and converts a file of at most `max` bytes (else out is null: rawSize is its size). */
  readFile(path: string, max: number, flags: number, cb: Done<Buffer | null>): void;
  /** Gives a pooled buffer back (a second call for the same lending is ignored). */
  release(slot: number): void;
  /**
   * readFile's fast path on the calling thread, for a file whose name and bytes are in the
   * kernel's caches (read_now.c): undefined when it would wait for the disk (then use readFile);
   * null with out[0] = errno, or with out[1] = the size when over `max`; else the served bytes
   * (`[served, raw]` with WANT_RAW), out[1] = stored size, out[2] = pooled length, out[3] = slot.
   * Optional: an addon built before it was added has none.
   */
  readFileNow?(
    path: string,
    max: number,
    flags: number,
    out: Float64Array,
  ): Buffer | ArrayBuffer | [Buffer | ArrayBuffer, Buffer] | null | undefined;
}

/**
 * The served bytes of a job as a Buffer. A pooled one is a view of the pool's buffer carrying the
 * WRITTEN_HOOK that gives it back: only a writer that is done with the bytes may call it, once
 * (a view dropped without it is simply collected, and the pool makes another buffer).
 */
export function servedBuffer(
  addon: MaildirNative,
  out: Buffer | ArrayBuffer | null,
  pooledLength: number,
  slot: number,
): Buffer | null {
  if (out === null || Buffer.isBuffer(out)) return out;
  const view = Buffer.from(out, 0, pooledLength) as Buffer & { [WRITTEN_HOOK]?: () => void };
  view[WRITTEN_HOOK] = () => addon.release(slot);
  return view;
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

/* ---------------------------------------------------------------- mimeLines (imapd structure scan) */

/**
 * The addon's line counter for imapd's MIME scanner (same results as its JavaScript code,
 * packages/imapd/src/message/line-run.ts, where the call is described). Optional: an addon built
 * before it was added has none.
 */
export interface MaildirNative {
  mimeLines?(buf: Buffer, start: number, normalize: boolean, out: Int32Array): number;
}
