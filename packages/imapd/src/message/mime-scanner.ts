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
  #pos: Pos = ORIGIN;
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
      this.#partial();
      this.#done = true;
    }
    return {
      root: this.#root.toMimePart(),
      size: offsets(this.#pos),
      eightBitHeaders: this.#eightBitHeaders,
      truncated: this.#truncated,
    };
  }

  #parse(block: Buffer): void {
    let start = 0;
    for (;;) {
      const i = block.indexOf(LF, start);
      if (i === -1) break;
      if (this.#pendingLength === 0) this.#doLine(block, start, i + 1);
      else {
        const line = this.#takeLine(block.subarray(start, i + 1));
        this.#doLine(line, 0, line.length);
      }
      start = i + 1;
    }
    if (start < block.length) {
      this.#pending.push(block.subarray(start));
      this.#pendingLength += block.length - start;
    }
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
    this.#pos = { raw: this.#pos.raw + bytes, lf: this.#pos.lf + lfs, cr: this.#pos.cr + addCr };
    return this.#pos;
  }

  #capture(p: WorkPart, bytes: Buffer): void {
    if (!p.inHeader || p.capture === null || p.captured >= this.#maxCapture) return;
    const part = bytes.subarray(0, this.#maxCapture - p.captured);
    p.capture.push(Buffer.from(part));
    p.captured += part.length;
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
    const lineStart = this.#pos;
    const withinLine: Pos = { raw: lineStart.raw + n, lf: lineStart.lf, cr: lineStart.cr };
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
    for (let i = 0; i < c.length; i++) {
      if (c[i]! >= 0x80) {
        this.#eightBitHeaders = true;
        break;
      }
    }
    if (n === 0) {
      this.#endOfHeader(p, after);
      return;
    }
    p.update(after, withinLine, 1);
    p.startBody = p.endBody;
    const text = c.toString('latin1', 0, n).replace(/\0/g, ' ');
    if (text[0] === ' ' || text[0] === '\t' || /^[\n\v\f\r]/.test(text)) {
      if (p.headerLine.length < MAX_HEADER_FIELD) p.headerLine += ` ${text}`;
    } else {
      applyHeaderField(p);
      p.headerLine = text;
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
