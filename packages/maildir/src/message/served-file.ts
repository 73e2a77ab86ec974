/**
 * A small message file read whole in its served (CRLF) form. With the native helper: at once on
 * this thread when the file is in the kernel's caches (no disk wait possible), else one
 * thread-pool job (open, fstat, read, convert, close). Without it: callback fs calls and lfToCrlf
 * (same bytes).
 */
import { closeFd, openFd, readFd, statFd } from '../fs/fd-calls.js';
import { lfToCrlf } from './crlf.js';
import { errnoError, MAILDIR_NATIVE, type MaildirNative, SERVE, servedBuffer } from './native.js';

export interface ServedFile {
  /** The served form; undefined when the file holds more than `max` bytes. */
  readonly served: Buffer | undefined;
  /** The stored bytes (with `wantRaw`). */
  readonly raw: Buffer | undefined;
  /** Stored size (when too big: the size found). */
  readonly rawSize: number;
}

export interface ReadServedOptions {
  /** Also return the stored bytes. */
  readonly wantRaw?: boolean;
  /** POP3 multi-line form: dot-stuffed (native only: the caller checks `MAILDIR_NATIVE`). */
  readonly dotStuff?: boolean;
  /** The native helper (default: the built one, if any); undefined: JavaScript only. */
  readonly native?: MaildirNative | undefined;
  /**
   * The served bytes may come in a reused buffer (native helper only; default: `dotStuff`, the
   * POP3 form, which is only ever sent): the caller hands them to the runtime's ReplyWriter once
   * and keeps no other use of them, as the writer gives the buffer back when the socket is done
   * with it (see WRITTEN_HOOK in native.ts).
   */
  readonly pooled?: boolean;
}

function viaNative(addon: MaildirNative, path: string, max: number, flags: number): Promise<ServedFile> {
  return new Promise((resolve, reject) => {
    addon.readFile(path, max, flags, (errno, out, raw, rawSize, pooledLength, slot) => {
      if (errno !== 0) reject(errnoError(errno, 'open', path));
      else {
        const served = servedBuffer(addon, out, pooledLength, slot) ?? undefined;
        resolve({ served, raw: raw ?? undefined, rawSize });
      }
    });
  });
}

/** Files up to this size may be read on the event loop's thread (from the page cache only). */
const NOW_MAX = 1024 * 1024;

/**
 * readFileNow's numbers. Module state, written and read within one synchronous call (nothing can
 * run in between), so sharing it is safe; one array rather than an allocation per message.
 */
const NOW_OUT = new Float64Array(4);

/**
 * The file from the kernel's caches, on this thread: a settled result, or undefined when the
 * native helper must read it on the pool (not cached, too big for this path, or no fast path).
 */
function viaNativeNow(
  addon: MaildirNative,
  path: string,
  max: number,
  flags: number,
): Promise<ServedFile> | undefined {
  const got = addon.readFileNow?.(path, Math.min(max, NOW_MAX), flags, NOW_OUT);
  if (got === undefined) return undefined;
  const [errno, rawSize, pooledLength, slot] = NOW_OUT as unknown as [number, number, number, number];
  if (got === null) {
    if (errno !== 0) return Promise.reject(errnoError(errno, 'open', path));
    if (rawSize <= max) return undefined; // over NOW_MAX only: the pool job reads it
    return Promise.resolve({ served: undefined, raw: undefined, rawSize });
  }
  const [out, raw] = Array.isArray(got) ? got : [got, undefined];
  const served = servedBuffer(addon, out, pooledLength, slot) ?? undefined;
  return Promise.resolve({ served, raw, rawSize });
}

async function viaFs(path: string, max: number, wantRaw: boolean): Promise<ServedFile> {
  const fd = await openFd(path, 'r');
  try {
    const { size } = await statFd(fd);
    if (size > max) return { served: undefined, raw: undefined, rawSize: size };
    const buf = Buffer.allocUnsafe(size);
    let got = 0;
    while (got < size) {
      const bytesRead = await readFd(fd, buf, got, size - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    const raw = got === size ? buf : buf.subarray(0, got);
    return { served: lfToCrlf(raw), raw: wantRaw ? raw : undefined, rawSize: got };
  } finally {
    await closeFd(fd);
  }
}

/**
 * The file at `path` in its served form when it holds at most `max` bytes (else only its size).
 * Rejects like fs does (code ENOENT when the file was renamed or removed).
 */
export function readServedFile(
  path: string,
  max: number,
  options: ReadServedOptions = {},
): Promise<ServedFile> {
  const native = 'native' in options ? options.native : MAILDIR_NATIVE;
  const wantRaw = options.wantRaw ?? false;
  if (native) {
    const flags =
      (wantRaw ? SERVE.WANT_RAW : 0) |
      (options.dotStuff ? SERVE.DOT_STUFF | SERVE.AT_LINE_START : 0) |
      ((options.pooled ?? options.dotStuff) ? SERVE.POOLED : 0);
    return viaNativeNow(native, path, max, flags) ?? viaNative(native, path, max, flags);
  }
  if (options.dotStuff) return Promise.reject(new RangeError('dot-stuffing needs the native helper'));
  return viaFs(path, max, wantRaw);
}
