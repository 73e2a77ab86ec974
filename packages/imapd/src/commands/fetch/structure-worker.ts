/**
 * Worker thread of structure-pump.ts: reads message files with synchronous calls (a few
 * microseconds each here, against tens for each callback through the libuv pool, and off the
 * session's event loop) and scans and formats them into persistent-cache entries. Memory: one
 * 64 KiB read buffer and one structure at a time.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { type MessagePort, parentPort } from 'node:worker_threads';
import { nativeLineRun } from '../../message/line-run.js';
import { MimeScanner, type ScanOptions } from '../../message/mime-scanner.js';
import { formatStructureEntry } from '../../message/structure-entry.js';

export interface ScanJob {
  readonly id: number;
  /** Files to scan; `servedSize` NaN when not known (else a scan of another size is refused). */
  readonly files: ReadonlyArray<{ readonly path: string; readonly servedSize: number }>;
}

export interface ScanDone {
  readonly id: number;
  /** All values, back to back (transferred). */
  readonly data: Uint8Array;
  /** Per file: [offset, length, raw size], or null when it could not be scanned. */
  readonly results: ReadonlyArray<readonly [number, number, number] | null>;
}

/**
 * Read size: files are read in 64 KiB pieces into one buffer reused from file to file (the
 * scanner keeps no reference to a chunk). Copying from the page cache into a buffer that stays
 * in the CPU cache costs about a third of the system time of larger or fresh buffers.
 */
const CHUNK = 64 * 1024;

/**
 * Body lines counted by the native addon when it is built (same results as the JavaScript, which
 * is used when the addon or the package cannot be loaded: a scan never depends on it).
 */
const lineRun = await import('@courier-ts/maildir').then(
  (m) => nativeLineRun(m.MAILDIR_NATIVE),
  () => undefined,
);
const SCAN: ScanOptions = lineRun ? { lineEnds: 'courier', lineRun } : { lineEnds: 'courier' };

/** Scans one file, read in `buf` (CHUNK bytes, reused). */
function scanFile(path: string, servedSize: number, buf: Buffer): { size: number; value: Buffer } | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const scanner = new MimeScanner(SCAN);
    for (let pos = 0; ; ) {
      const n = readSync(fd, buf, 0, CHUNK, pos);
      if (n > 0) scanner.push(buf.subarray(0, n));
      pos += n;
      if (n < CHUNK) break;
    }
    const s = scanner.finish();
    if (!Number.isNaN(servedSize) && s.size.crlf !== servedSize) return null;
    return { size: s.size.raw, value: formatStructureEntry(s) };
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

function run(job: ScanJob, buf: Buffer): { done: ScanDone; transfer: ArrayBuffer[] } {
  const scanned = job.files.map((f) => scanFile(f.path, f.servedSize, buf));
  const data = Buffer.alloc(scanned.reduce((n, r) => n + (r?.value.length ?? 0), 0));
  let at = 0;
  const results = scanned.map((r): readonly [number, number, number] | null => {
    if (r === null) return null;
    r.value.copy(data, at);
    at += r.value.length;
    return [at - r.value.length, r.value.length, r.size];
  });
  const u8 = new Uint8Array(data.buffer, data.byteOffset, data.length);
  return { done: { id: job.id, data: u8, results }, transfer: [data.buffer as ArrayBuffer] };
}

/** Answers jobs on `port`, one at a time, with one read buffer for the worker's life. */
function serve(port: MessagePort): void {
  const buf = Buffer.allocUnsafeSlow(CHUNK);
  port.on('message', (job: ScanJob) => {
    const { done, transfer } = run(job, buf);
    port.postMessage(done, transfer);
  });
}

if (parentPort) serve(parentPort);
