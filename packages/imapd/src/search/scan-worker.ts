/**
 * Worker thread of ScanPool, reading message files with synchronous calls (cheap on page-cached
 * files, and off the server's event loop). Two jobs: answer the content keys of a batch of messages
 * with the same MessageScanner the main thread uses (so several cores search at once), and read the
 * first bytes of many files (sent back transferred, for header blocks read ahead).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { ContentKey } from './compile.js';
import type { Tri } from './evaluate.js';
import { MessageScanner, type ScanOutcome } from './message-scanner.js';

export interface ScanRequest {
  readonly kind: 'scan';
  readonly id: number;
  readonly paths: readonly string[];
  /** Size hints (NaN = unknown). */
  readonly sizes: readonly number[];
  readonly keys: readonly ContentKey[];
  /** Per message: what is known already (e.g. from the cache). */
  readonly known: readonly (readonly Tri[])[];
  /** Collect header values for the cache. */
  readonly collect: boolean;
}

export interface PrefixRequest {
  readonly kind: 'prefix';
  readonly id: number;
  readonly paths: readonly string[];
  readonly sizes: readonly number[];
  /** Bytes read at most per file. */
  readonly max: number;
}

export type WorkerReply =
  | {
      readonly kind: 'scan';
      readonly id: number;
      /** Per message: the outcome, or null when the file could not be read (the caller reads it). */
      readonly out: readonly (ScanOutcome | null)[];
    }
  | {
      readonly kind: 'prefix';
      readonly id: number;
      /** Per file: the bytes read (null = could not be read), how many, and whether that is all. */
      readonly buffers: readonly (ArrayBuffer | null)[];
      readonly lengths: readonly number[];
      readonly eof: readonly boolean[];
    };

const FIRST = 128 * 1024;
const REST = 256 * 1024;

/** `want` for the next read: one byte more than what is left, so a short read proves EOF. */
function nextRead(size: number, pos: number, cap: number): number {
  return Number.isNaN(size) ? cap : Math.min(cap, size - pos + 1);
}

function scanFile(req: ScanRequest, i: number): ScanOutcome {
  const scanner = new MessageScanner(req.keys, req.known[i]!, req.collect);
  const fd = openSync(req.paths[i]!, 'r');
  try {
    let size = req.sizes[i]!;
    if (Number.isNaN(size)) size = fstatSync(fd).size;
    let pos = 0;
    for (;;) {
      if (pos > size) size = Number.NaN; // a wrong size hint: read to EOF
      const want = nextRead(size, pos, pos === 0 ? FIRST : REST);
      // A buffer per piece: the scanner may keep views of it (header lines) until the next one.
      const buf = Buffer.allocUnsafe(want);
      const got = readSync(fd, buf, 0, want, pos);
      if (got === 0) break;
      pos += got;
      if (!scanner.push(got === want ? buf : buf.subarray(0, got))) break;
      if (got < want && !Number.isNaN(size)) break;
    }
  } finally {
    closeSync(fd);
  }
  return scanner.finish();
}

function readPrefix(path: string, size: number, max: number): { buf: Buffer; length: number; eof: boolean } {
  const fd = openSync(path, 'r');
  try {
    // A lazily opened folder may not know the size: ask the file (a buffer of `max` for a 4 KB
    // message would cost far more).
    const known = Number.isNaN(size) ? fstatSync(fd).size : size;
    const want = nextRead(known, 0, max);
    const buf = Buffer.allocUnsafeSlow(want);
    let length = 0;
    while (length < want) {
      const n = readSync(fd, buf, length, want - length, length);
      if (n === 0) return { buf, length, eof: true };
      length += n;
    }
    return { buf, length, eof: false };
  } finally {
    closeSync(fd);
  }
}

function prefixes(req: PrefixRequest): void {
  const buffers: (ArrayBuffer | null)[] = [];
  const lengths: number[] = [];
  const eof: boolean[] = [];
  for (let i = 0; i < req.paths.length; i++) {
    try {
      const r = readPrefix(req.paths[i]!, req.sizes[i]!, req.max);
      buffers.push(r.buf.buffer as ArrayBuffer);
      lengths.push(r.length);
      eof.push(r.eof);
    } catch {
      buffers.push(null);
      lengths.push(0);
      eof.push(false);
    }
  }
  const reply: WorkerReply = { kind: 'prefix', id: req.id, buffers, lengths, eof };
  parentPort?.postMessage(
    reply,
    buffers.filter((b): b is ArrayBuffer => b !== null),
  );
}

function scan(req: ScanRequest): void {
  const out: (ScanOutcome | null)[] = [];
  for (let i = 0; i < req.paths.length; i++) {
    try {
      out.push(scanFile(req, i));
    } catch {
      out.push(null);
    }
  }
  const reply: WorkerReply = { kind: 'scan', id: req.id, out };
  parentPort?.postMessage(reply);
}

parentPort?.on('message', (req: ScanRequest | PrefixRequest) => {
  if (req.kind === 'scan') scan(req);
  else prefixes(req);
});
