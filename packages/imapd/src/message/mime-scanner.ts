/**
 * Streaming MIME structure scanner. Feed the message file's bytes in chunks of any size;
 * `finish()` returns the part tree with offsets and Courier's sizes and line counts.
 *
 * It follows Courier's rfc2045 parser line by line (courier-libs rfc2045/rfc2045.c; the part
 * tree is mime-tree.ts), so the structure matches Courier's for broken messages too. Courier
 * reads the file in 8 KiB blocks, treating an unfinished line longer than 1 KiB at a block end
 * as body data; this is emulated. Runs of body lines that cannot be boundaries are only counted.
 * Memory is bounded: one line (at most ~9 KiB pending), header fields, the structure. No
 * reference to a chunk is kept once push() returns (the pending line is copied), so a caller
 * may read every chunk into the same buffer.
 */

import { jsLineRun, type LineRun } from './line-run.js';
import type { MimeStructure } from './mime-part.js';
import { type FastTarget, MimeTree } from './mime-tree.js';
import { offsets, type Pos } from './work-part.js';

export interface ScanOptions {
  /**
   * How the served form differs from the file: `courier` = every LF becomes CRLF (what
   * Courier and our store do; a CRLF file gives CR CR LF); `normalize` = only bare LFs do.
   */
  readonly lineEnds?: 'courier' | 'normalize';
  /** Most parts in one message; further lines are ignored (Courier: 300). */
  readonly maxParts?: number;
  /** Header bytes kept per message for ENVELOPE (default 256 KiB). */
  readonly maxHeaderCapture?: number;
  /** Counts runs of plain body lines (default the JavaScript one; the native addon's is faster). */
  readonly lineRun?: LineRun;
}

const BLOCK = 8192;
const PARTIAL = 1024;
const LF = 0x0a;
const CR = 0x0d;

export class MimeScanner {
  readonly #normalize: boolean;
  readonly #tree: MimeTree;
  /** Current position: raw bytes, LFs and CRs added so far (scalars: no object per line). */
  #raw = 0;
  #lf = 0;
  #cr = 0;
  /**
   * Where a plain body line (one that cannot be a boundary) goes in the current tree state, so
   * runs of such lines are counted without walking the tree: undefined = not known yet, null =
   * no fast path (header, pending informData, part limit reached).
   */
  #fast: FastTarget | null | undefined;
  /** The run of plain body lines not applied to #fast.part yet, and its last line's content end. */
  #runLines = 0;
  #runRaw = 0;
  #runLf = 0;
  #runCr = 0;
  /** Pending (unfinished) line. */
  #pending: Buffer[] = [];
  #pendingLength = 0;
  /** Bytes until the next emulated read() block boundary. */
  #toBlock = BLOCK;
  #done = false;
  readonly #lineRun: LineRun;
  /** The results of #lineRun. */
  readonly #out = new Int32Array(4);

  constructor(options: ScanOptions = {}) {
    this.#normalize = options.lineEnds === 'normalize';
    this.#lineRun = options.lineRun ?? jsLineRun;
    this.#tree = new MimeTree(options.maxParts ?? 300, options.maxHeaderCapture ?? 256 * 1024);
  }

  /**
   * Courier's 8 KiB read() blocks matter only where an unfinished line longer than 1 KiB is
   * pending at a block's end: the chunk is parsed in one piece up to each such block end (found
   * with a backward search from every block end), not block by block.
   */
  push(chunk: Buffer): void {
    if (this.#done) throw new Error('MimeScanner: push() after finish()');
    let off = 0;
    let end = this.#toBlock;
    for (; end <= chunk.length; end += BLOCK) {
      const lf = end > off ? chunk.lastIndexOf(LF, end - 1) : -1;
      const pending = lf >= off ? end - lf - 1 : this.#pendingLength + (end - off);
      if (pending <= PARTIAL) continue;
      if (end > off) this.#parse(chunk.subarray(off, end));
      off = end;
      this.#partial();
    }
    if (off < chunk.length) this.#parse(chunk.subarray(off));
    this.#toBlock = end - chunk.length;
    this.#tree.flushCapture();
  }

  finish(): MimeStructure {
    if (!this.#done) {
      this.#flushRun();
      this.#partial();
      this.#tree.flushCapture();
      this.#done = true;
    }
    return {
      root: this.#tree.root.toMimePart(),
      size: offsets(this.#here()),
      eightBitHeaders: this.#tree.eightBitHeaders,
      truncated: this.#tree.truncated,
    };
  }

  #parse(block: Buffer): void {
    let start = 0;
    if (this.#pendingLength > 0) {
      const i = block.indexOf(LF);
      if (i !== -1) {
        const line = this.#takeLine(block.subarray(0, i + 1));
        this.#line(line, 0, line.length);
        start = i + 1;
      } else start = block.length + 1;
    }
    const normalize = this.#normalize;
    for (;;) {
      const i = block.indexOf(LF, start);
      if (i === -1) break;
      const fast = this.#fast === undefined ? this.#findFast() : this.#fast;
      if (fast === null || (block[start] === 0x2d && block[start + 1] === 0x2d)) {
        this.#line(block, start, i + 1);
        start = i + 1;
        continue;
      }
      // A run of plain body lines: only positions and a line count change.
      const out = this.#out;
      const s0 = start;
      const lines = this.#lineRun(block, start, normalize, out);
      start = out[0]!;
      const ls = out[2]!;
      const le = out[3]!;
      const lastCr = !normalize || le === ls || block[le - 1] !== CR ? 1 : 0;
      const raw = this.#raw;
      // The run's last line ends before its CR LF (or LF): where a part's body ends in a multipart.
      this.#runRaw = raw + (ls - s0) + (le > ls && block[le - 1] === CR ? le - 1 - ls : le - ls);
      this.#raw = raw + (start - s0);
      this.#lf += lines;
      this.#cr += out[1]!;
      this.#runLf = this.#lf - 1;
      this.#runCr = this.#cr - lastCr;
      this.#runLines += lines;
    }
    if (start > block.length) start = 0;
    if (start < block.length) {
      // A copy: the caller may reuse its buffer once push() returns.
      this.#pending.push(Buffer.from(block.subarray(start)));
      this.#pendingLength += block.length - start;
    }
  }

  /** One line through the full (Courier) logic, after the run of plain lines before it. */
  #line(buf: Buffer, s: number, e: number): void {
    const fast = this.#fast === undefined ? this.#findFast() : this.#fast;
    if (fast !== null && !(buf[s] === 0x2d && buf[s + 1] === 0x2d)) {
      const n = e - s - 1;
      const crlf = n > 0 && buf[e - 2] === CR;
      this.#runRaw = this.#raw + (crlf ? n - 1 : n);
      this.#runLf = this.#lf;
      this.#runCr = this.#cr;
      this.#raw += e - s;
      this.#lf++;
      if (!this.#normalize || !crlf) this.#cr++;
      this.#runLines++;
      return;
    }
    this.#flushRun();
    this.#doLine(buf, s, e);
    this.#fast = undefined;
  }

  /** The part a plain body line goes to now, or null (worked out once per tree change). */
  #findFast(): FastTarget | null {
    this.#fast = this.#tree.findFast();
    return this.#fast;
  }

  /** Applies the run of plain body lines (update_counts() once for all of them). */
  #flushRun(): void {
    if (this.#runLines === 0) return;
    const f = this.#fast!;
    const after = this.#here();
    f.part.update(
      after,
      f.within ? { raw: this.#runRaw, lf: this.#runLf, cr: this.#runCr } : after,
      this.#runLines,
    );
    this.#runLines = 0;
  }

  #here(): Pos {
    return { raw: this.#raw, lf: this.#lf, cr: this.#cr };
  }

  #takeLine(tail: Buffer): Buffer {
    const line = Buffer.concat([...this.#pending, tail]);
    this.#pending = [];
    this.#pendingLength = 0;
    return line;
  }

  /** rfc2045_parse_partial(): an unfinished line counts as data of the innermost open part. */
  #partial(): void {
    if (this.#pendingLength === 0) return;
    this.#flushRun();
    this.#fast = undefined;
    const buf = Buffer.concat(this.#pending);
    const l = buf[buf.length - 1] === CR ? buf.length - 1 : buf.length;
    const p = this.#tree.innermost();
    this.#tree.capture(p, buf, 0, l);
    const at = this.#advance(l, 0, false);
    p.update(at, at, 0);
    p.informData = true;
    this.#pending = l < buf.length ? [buf.subarray(l)] : [];
    this.#pendingLength = buf.length - l;
  }

  /** Position after `bytes` more raw bytes, `lfs` of them LFs; `crlfEnd`: the last LF follows a CR. */
  #advance(bytes: number, lfs: number, crlfEnd: boolean): Pos {
    const addCr = lfs > 0 && this.#normalize && crlfEnd ? lfs - 1 : lfs;
    this.#raw += bytes;
    this.#lf += lfs;
    this.#cr += addCr;
    return this.#here();
  }

  /** One line, `buf[s, e)`, LF included (doline()). */
  #doLine(buf: Buffer, s: number, e: number): void {
    const cnt = e - s;
    if (this.#tree.full) {
      this.#tree.truncated = true;
      this.#advance(cnt, 1, cnt > 1 && buf[e - 2] === CR);
      return;
    }
    let n = cnt - 1;
    const crlf = n > 0 && buf[s + n - 1] === CR;
    if (crlf) n--;
    const withinLine: Pos = { raw: this.#raw + n, lf: this.#lf, cr: this.#cr };
    const after = this.#advance(cnt, 1, crlf);
    this.#tree.line(buf, s, e, n, after, withinLine);
  }
}

/** Scans a whole message held in memory (tests, small messages). */
export function scanMime(message: Buffer, options?: ScanOptions): MimeStructure {
  const s = new MimeScanner(options);
  s.push(message);
  return s.finish();
}
