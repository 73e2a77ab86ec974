/**
 * Worker thread of structure-pump.ts: reads message files with synchronous calls (a few
 * microseconds each here, against tens for each callback through the libuv pool, and off the
 * session's event loop) and scans and formats them into persistent-cache entries. Memory: one
 * file's chunks and one structure at a time; files over 64 KiB are read in 256 KiB chunks.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { type MessagePort, parentPort } from 'node:worker_threads';
import { MimeScanner } from '../../message/mime-scanner.js';
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

const FIRST = 64 * 1024;
const CHUNK = 256 * 1024;

/**
 * `first` is reused from file to file: a file that fits in it is scanned from it (the scanner
 * keeps no reference to its input after finish()); a larger one continues in fresh chunks.
 */
function scanFile(path: string, servedSize: number, first: Buffer): { size: number; value: Buffer } | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const scanner = new MimeScanner({ lineEnds: 'courier' });
    let pos = readSync(fd, first, 0, FIRST, 0);
    if (pos < FIRST) scanner.push(first.subarray(0, pos));
    else {
      scanner.push(Buffer.from(first));
      for (;;) {
        const buf = Buffer.allocUnsafeSlow(CHUNK);
        const n = readSync(fd, buf, 0, CHUNK, pos);
        if (n > 0) scanner.push(buf.subarray(0, n));
        pos += n;
        if (n < CHUNK) break;
      }
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

function run(job: ScanJob, first: Buffer): { done: ScanDone; transfer: ArrayBuffer[] } {
  const scanned = job.files.map((f) => scanFile(f.path, f.servedSize, first));
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
  const first = Buffer.allocUnsafeSlow(FIRST);
  port.on('message', (job: ScanJob) => {
    const { done, transfer } = run(job, first);
    port.postMessage(done, transfer);
  });
}

if (parentPort) serve(parentPort);
