/**
 * Streaming MIME structure scanner. Feed the message file's bytes in chunks of any size;
 * `finish()` returns the part tree with offsets and Courier's sizes and line counts.
 *
 * It follows Courier's rfc2045 parser line by line (courier-libs rfc2045/rfc2045.c), so the
 * structure matches Courier's for broken messages too: boundaries are matched as prefixes
 * and outer boundaries close inner parts, a part's last newline belongs to the boundary,
 * MIME fields count only under `MIME-Version: 1.x`, and Courier reads the file in 8 KiB
 * blocks, treating an unfinished line longer than 1 KiB at a block end as body data.
 * Memory is bounded: one line (at most ~9 KiB pending), header fields, the structure.
 */

import { isAscii } from 'node:buffer';
import { applyHeaderField, isMessageType, isMime1, MAX_HEADER_FIELD } from './mime-headers.js';
import type { MimeStructure } from './mime-part.js';
import { asciiLower } from './rfc822-tokens.js';
import { getParam, ORIGIN, offsets, type Pos, setParam, WorkPart } from './work-part.js';

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
}

const BLOCK = 8192;
const PARTIAL = 1024;
const LF = 0x0a;
const CR = 0x0d;

export class MimeScanner {
  readonly #normalize: boolean;
  readonly #maxParts: number;
  readonly #maxCapture: number;
  readonly #root: WorkPart;
  /** Current position: raw bytes, LFs and CRs added so far (scalars: no object per line). */
  #raw = 0;
  #lf = 0;
  #cr = 0;
  /**
   * Where a plain body line (one that cannot be a boundary) goes in the current tree state, so
   * runs of such lines are counted without walking the tree: undefined = not known yet, null =
   * no fast path (header, pending informData, part limit reached).
   */
  #fast: { readonly part: WorkPart; readonly within: boolean } | null | undefined;
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
  #numParts = 0;
  #truncated = false;
  #eightBitHeaders = false;
  #done = false;

  constructor(options: ScanOptions = {}) {
    this.#normalize = options.lineEnds === 'normalize';
    this.#maxParts = options.maxParts ?? 300;
    this.#maxCapture = options.maxHeaderCapture ?? 256 * 1024;
    this.#root = new WorkPart(null, ORIGIN, true);
  }

  push(chunk: Buffer): void {
    if (this.#done) throw new Error('MimeScanner: push() after finish()');
    let off = 0;
    while (off < chunk.length) {
      const take = Math.min(this.#toBlock, chunk.length - off);
      this.#parse(chunk.subarray(off, off + take));
      off += take;
      this.#toBlock -= take;
      if (this.#toBlock === 0) {
        this.#toBlock = BLOCK;
        if (this.#pendingLength > PARTIAL) this.#partial();
      }
    }
  }

  finish(): MimeStructure {
    if (!this.#done) {
      this.#flushRun();
      this.#partial();
      this.#done = true;
    }
    return {
      root: this.#root.toMimePart(),
      size: offsets(this.#here()),
      eightBitHeaders: this.#eightBitHeaders,
      truncated: this.#truncated,
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
      let i = block.indexOf(LF, start);
      if (i === -1) break;
      const fast = this.#fast === undefined ? this.#findFast() : this.#fast;
      if (fast === null || (block[start] === 0x2d && block[start + 1] === 0x2d)) {
        this.#line(block, start, i + 1);
        start = i + 1;
        continue;
      }
      // A run of plain body lines: only positions and a line count change (kept in locals).
      let raw = this.#raw;
      let lf = this.#lf;
      let cr = this.#cr;
      let lines = this.#runLines;
      let lineRaw = raw;
      let lineLf = lf;
      let lineCr = cr;
      let ls = start;
      let le = i;
      do {
        lineRaw = raw;
        lineLf = lf;
        lineCr = cr;
        ls = start;
        le = i;
        raw += i + 1 - start;
        lf++;
        if (!normalize || i === start || block[i - 1] !== CR) cr++;
        lines++;
        start = i + 1;
        i = block.indexOf(LF, start);
      } while (i !== -1 && (block[start] !== 0x2d || block[start + 1] !== 0x2d));
      // The run's last line ends before its CR LF (or LF): where a part's body ends in a multipart.
      this.#runRaw = lineRaw + (le > ls && block[le - 1] === CR ? le - 1 - ls : le - ls);
      this.#runLf = lineLf;
      this.#runCr = lineCr;
      this.#raw = raw;
      this.#lf = lf;
      this.#cr = cr;
      this.#runLines = lines;
      if (i === -1) break;
    }
    if (start > block.length) start = 0;
    if (start < block.length) {
      this.#pending.push(block.subarray(start));
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

  /** The part a plain body line goes to now (doline() for a line that is no boundary), or null. */
  #findFast(): { part: WorkPart; within: boolean } | null {
    this.#fast = null;
    if (this.#numParts > this.#maxParts) return null;
    let p = this.#root;
    for (let q = p; q.lastPart !== undefined && !q.lastPart.closed; q = q.lastPart) {
      if (q.boundary !== null && !q.inHeader && q.lastPart.informData) return null;
    }
    for (let q = p.lastPart; q !== undefined; q = p.lastPart) {
      if (q.closed) {
        this.#fast = { part: p, within: true };
        return this.#fast;
      }
      p = q;
    }
    if (p.inHeader) return null;
    this.#fast = { part: p, within: p.parent?.contentType?.startsWith('multipart/') === true };
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
    let p = this.#root;
    for (let q = p.lastPart; q !== undefined && !q.closed; q = p.lastPart) p = q;
    this.#capture(p, buf.subarray(0, l));
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

  #capture(p: WorkPart, bytes: Buffer): void {
    if (!p.inHeader || p.capture === null || p.captured >= this.#maxCapture) return;
    const take = Math.min(bytes.length, this.#maxCapture - p.captured);
    p.capture += bytes.toString('latin1', 0, take);
    p.captured += take;
  }

  #appendPart(parent: WorkPart, at: Pos, inherit: boolean): WorkPart {
    const part = new WorkPart(parent, at, !inherit);
    if (inherit) {
      part.encoding = parent.encoding;
      setParam(part.params, 'charset', getParam(parent.params, 'charset'));
    }
    parent.parts.push(part);
    this.#numParts++;
    return part;
  }

  /** One line, `buf[s, e)`, LF included (doline()). */
  #doLine(buf: Buffer, s: number, e: number): void {
    const cnt = e - s;
    if (this.#numParts > this.#maxParts) {
      this.#truncated = true;
      this.#advance(cnt, 1, cnt > 1 && buf[e - 2] === CR);
      return;
    }
    let n = cnt - 1;
    const crlf = n > 0 && buf[s + n - 1] === CR;
    if (crlf) n--;
    const withinLine: Pos = { raw: this.#raw + n, lf: this.#lf, cr: this.#cr };
    const after = this.#advance(cnt, 1, crlf);

    let p = this.#root;
    for (let q = p; q.lastPart !== undefined && !q.lastPart.closed; q = q.lastPart) {
      if (q.boundary === null || q.inHeader) continue;
      if (q.lastPart.informData) {
        p = q.lastPart;
        p.informData = false;
        break;
      }
    }

    while (p.lastPart !== undefined) {
      if (p.lastPart.closed) {
        p.update(after, withinLine, 1);
        return;
      }
      const b = p.boundary;
      if (b === null || p.inHeader) {
        p = p.lastPart;
        continue;
      }
      if (isBoundary(buf, s, n, b)) {
        if (n >= 4 + b.length && buf[s + 2 + b.length] === 0x2d && buf[s + 3 + b.length] === 0x2d) {
          p.lastPart.closed = true;
          p.update(after, after, 1);
          return;
        }
        const part = this.#appendPart(p, after, true);
        p.update(after, withinLine, 1);
        part.mimeVersion = p.mimeVersion;
        return;
      }
      p = p.lastPart;
    }

    if (!p.inHeader) {
      const inMultipart = p.parent?.contentType?.startsWith('multipart/') === true;
      p.update(after, inMultipart ? withinLine : after, 1);
      return;
    }
    this.#headerLine(p, buf.subarray(s, e), n, after, withinLine);
  }

  #headerLine(p: WorkPart, c: Buffer, n: number, after: Pos, withinLine: Pos): void {
    this.#capture(p, c);
    if (!this.#eightBitHeaders && !isAscii(c)) this.#eightBitHeaders = true;
    if (n === 0) {
      this.#endOfHeader(p, after);
      return;
    }
    p.update(after, withinLine, 1);
    p.startBody = p.endBody;
    // A NUL reads as a space, so a line starting with one continues the field too.
    const b0 = c[0]!;
    if (b0 === 0x20 || b0 === 0x09 || b0 === 0x00 || (b0 >= 0x0a && b0 <= 0x0d)) {
      if (p.skipField || p.headerLine.length >= MAX_HEADER_FIELD) return;
      p.headerLine += ` ${fieldText(c, n)}`;
    } else {
      applyHeaderField(p);
      // Only MIME fields are interpreted: the others are not even made into strings.
      p.skipField = !MIME_FIELD.test(c.toString('latin1', 0, Math.min(n, 12)));
      p.headerLine = p.skipField ? '' : fieldText(c, n);
    }
    if (p.headerLine.length > MAX_HEADER_FIELD) p.headerLine = p.headerLine.slice(0, MAX_HEADER_FIELD);
  }

  #endOfHeader(p: WorkPart, after: Pos): void {
    applyHeaderField(p);
    p.headerLine = '';
    p.inHeader = false;
    p.startBody = after;
    p.update(after, after, 1);
    p.nbodylines--;
    if (!isMime1(p.mimeVersion)) {
      p.contentType = null;
      p.params = [];
      p.disposition = null;
      p.dispositionParams = [];
      p.boundary = null;
    }
    if (isMime1(p.mimeVersion) && p.contentType === null) {
      p.contentType = p.parent?.contentType === 'multipart/digest' ? 'message/rfc822' : 'text/plain';
    }
    if (p.contentType === null || !p.contentType.startsWith('multipart/')) p.boundary = null;
    if (p.contentType !== null && isMessageType(p.contentType)) {
      this.#appendPart(p, after, false).inHeader = true;
      return;
    }
    if (p.boundary !== null) {
      const dummy = this.#appendPart(p, after, true);
      dummy.inHeader = false;
      dummy.dummy = true;
    }
  }
}

/** Fields applyHeaderField() interprets (a field's name is on its first line). */
const MIME_FIELD = /^(?:mime-version|content-)/i;

/** The line's text, NULs as spaces. */
function fieldText(c: Buffer, n: number): string {
  const s = c.toString('latin1', 0, n);
  return s.includes('\0') ? s.replace(/\0/g, ' ') : s;
}

/** `--boundary` at the start of the line, case-insensitively; anything may follow. */
function isBoundary(buf: Buffer, s: number, n: number, boundary: string): boolean {
  const l = boundary.length;
  if (buf[s] !== 0x2d || buf[s + 1] !== 0x2d || n < 2 + l) return false;
  return asciiLower(buf.toString('latin1', s + 2, s + 2 + l)) === boundary;
}

/** Scans a whole message held in memory (tests, small messages). */
export function scanMime(message: Buffer, options?: ScanOptions): MimeStructure {
  const s = new MimeScanner(options);
  s.push(message);
  return s.finish();
}
