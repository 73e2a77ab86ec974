/**
 * The part tree MimeScanner builds, line by line, as Courier's rfc2045 parser does (courier-libs
 * rfc2045/rfc2045.c, doline()): boundaries are matched as prefixes and outer boundaries close
 * inner parts, a part's last newline belongs to the boundary, MIME fields count only under
 * `MIME-Version: 1.x`. The scanner keeps the positions; this keeps the parts.
 */
import { applyHeaderField, isMessageType, isMime1, MAX_HEADER_FIELD } from './mime-headers.js';
import { asciiLower } from './rfc822-tokens.js';
import { getParam, ORIGIN, type Pos, setParam, WorkPart } from './work-part.js';

/** Where a plain body line (one that cannot be a boundary) goes: update_counts() of `part`. */
export interface FastTarget {
  readonly part: WorkPart;
  /** The part is inside a multipart: its body ends before the line's newline. */
  readonly within: boolean;
}

const DASH = 0x2d;

export class MimeTree {
  readonly root = new WorkPart(null, ORIGIN, true);
  readonly #maxParts: number;
  readonly #maxCapture: number;
  #numParts = 0;
  /** Header bytes noted by capture() and not yet in `#capPart.capture`: `#capBuf[#capStart, #capEnd)`. */
  #capPart: WorkPart | null = null;
  #capBuf: Buffer | null = null;
  #capStart = 0;
  #capEnd = 0;
  truncated = false;
  eightBitHeaders = false;

  constructor(maxParts: number, maxCapture: number) {
    this.#maxParts = maxParts;
    this.#maxCapture = maxCapture;
  }

  /** Past the part limit: further lines are only counted (Courier ignores them). */
  get full(): boolean {
    return this.#numParts > this.#maxParts;
  }

  /** The part a plain body line goes to now (doline() for a line that is no boundary), or null. */
  findFast(): FastTarget | null {
    if (this.full) return null;
    let p = this.root;
    for (let q = p; q.lastPart !== undefined && !q.lastPart.closed; q = q.lastPart) {
      if (q.boundary !== null && !q.inHeader && q.lastPart.informData) return null;
    }
    for (let q = p.lastPart; q !== undefined; q = p.lastPart) {
      if (q.closed) return { part: p, within: true };
      p = q;
    }
    if (p.inHeader) return null;
    return { part: p, within: p.parent?.contentType?.startsWith('multipart/') === true };
  }

  /** The innermost open part (where rfc2045_parse_partial() puts an unfinished line). */
  innermost(): WorkPart {
    let p = this.root;
    for (let q = p.lastPart; q !== undefined && !q.closed; q = p.lastPart) p = q;
    return p;
  }

  /**
   * Keeps header bytes `buf[s, e)` of a message root for ENVELOPE (capped). Consecutive lines of
   * one buffer are made into a string together, by flushCapture() (one string per header and
   * chunk rather than one per line).
   */
  capture(p: WorkPart, buf: Buffer, s: number, e: number): void {
    if (!p.inHeader || p.capture === null || p.captured >= this.#maxCapture) return;
    const take = Math.min(e - s, this.#maxCapture - p.captured);
    if (this.#capPart === p && this.#capBuf === buf && this.#capEnd === s) this.#capEnd = s + take;
    else {
      this.flushCapture();
      this.#capPart = p;
      this.#capBuf = buf;
      this.#capStart = s;
      this.#capEnd = s + take;
    }
    p.captured += take;
  }

  /** Appends the bytes capture() has noted to their part's header text (before the buffer goes). */
  flushCapture(): void {
    const p = this.#capPart;
    if (p === null) return;
    p.capture += this.#capBuf!.toString('latin1', this.#capStart, this.#capEnd);
    this.#capPart = null;
    this.#capBuf = null;
  }

  /**
   * One line `buf[s, e)` (LF included; `n` = content length without CR LF) through doline();
   * `after` = the position after it, `withinLine` = after its content.
   */
  line(buf: Buffer, s: number, e: number, n: number, after: Pos, withinLine: Pos): void {
    let p = this.root;
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
        if (n >= 4 + b.length && buf[s + 2 + b.length] === DASH && buf[s + 3 + b.length] === DASH) {
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
    this.#headerLine(p, buf, s, e, n, after, withinLine);
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

  #headerLine(p: WorkPart, buf: Buffer, s: number, e: number, n: number, after: Pos, withinLine: Pos): void {
    this.capture(p, buf, s, e);
    if (!this.eightBitHeaders && hasEightBit(buf, s, e)) this.eightBitHeaders = true;
    if (n === 0) {
      this.#endOfHeader(p, after);
      return;
    }
    p.update(after, withinLine, 1);
    p.startBody = p.endBody;
    // A NUL reads as a space, so a line starting with one continues the field too.
    const b0 = buf[s]!;
    if (b0 === 0x20 || b0 === 0x09 || b0 === 0x00 || (b0 >= 0x0a && b0 <= 0x0d)) {
      if (p.skipField || p.headerLine.length >= MAX_HEADER_FIELD) return;
      p.headerLine += ` ${fieldText(buf, s, n)}`;
    } else {
      applyHeaderField(p);
      // Only MIME fields are interpreted: the others are not even made into strings.
      p.skipField = !isMimeField(buf, s, n);
      p.headerLine = p.skipField ? '' : fieldText(buf, s, n);
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

/** The line starts a MIME field (only `m`/`c` lines are looked at closer). */
function isMimeField(buf: Buffer, s: number, n: number): boolean {
  const b0 = buf[s]! | 0x20;
  if (b0 !== 0x6d && b0 !== 0x63) return false;
  return MIME_FIELD.test(buf.toString('latin1', s, s + Math.min(n, 12)));
}

/**
 * A byte of `buf[s, e)` is 8-bit. A loop, not isAscii(buf.subarray()): a header line is short, and
 * the view object per line cost more than the check (measured: 6 of the scan's ~52 µs a message).
 */
function hasEightBit(buf: Buffer, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (buf[i]! >= 0x80) return true;
  return false;
}

/** The line's text, NULs as spaces. */
function fieldText(buf: Buffer, s: number, n: number): string {
  const t = buf.toString('latin1', s, s + n);
  return t.includes('\0') ? t.replace(/\0/g, ' ') : t;
}

/** `--boundary` at the start of the line, case-insensitively; anything may follow. */
function isBoundary(buf: Buffer, s: number, n: number, boundary: string): boolean {
  const l = boundary.length;
  if (buf[s] !== DASH || buf[s + 1] !== DASH || n < 2 + l) return false;
  return asciiLower(buf.toString('latin1', s + 2, s + 2 + l)) === boundary;
}
