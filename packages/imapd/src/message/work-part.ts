import type { MimeParam, MimePart, Offsets } from './mime-part.js';

/** A position in the file: raw byte offset, LFs before it, CRs the served form inserts before it. */
export interface Pos {
  readonly raw: number;
  readonly lf: number;
  readonly cr: number;
}

export const ORIGIN: Pos = { raw: 0, lf: 0, cr: 0 };

/** Sets (value) or removes (null) a parameter, keeping the order of first appearance (rfc2045_attrset). */
export function setParam(list: MimeParam[], name: string, value: string | null): void {
  const i = list.findIndex((p) => p.name === name);
  if (value === null) {
    if (i !== -1) list.splice(i, 1);
  } else if (i === -1) list.push({ name, value });
  else list[i] = { name, value };
}

export function getParam(list: readonly MimeParam[], name: string): string | null {
  return list.find((p) => p.name === name)?.value ?? null;
}

/** The mutable node the scanner fills in; mirrors the fields of Courier's struct rfc2045. */
export class WorkPart {
  readonly parent: WorkPart | null;
  readonly parts: WorkPart[] = [];
  start: Pos;
  end: Pos;
  startBody: Pos;
  endBody: Pos;
  nlines = 0;
  nbodylines = 0;
  inHeader = true;
  closed = false;
  dummy = false;
  informData = false;
  boundary: string | null = null;
  contentType: string | null = null;
  params: MimeParam[] = [];
  encoding: string | null = null;
  id: string | null = null;
  description: string | null = null;
  language: string | null = null;
  md5: string | null = null;
  disposition: string | null = null;
  dispositionParams: MimeParam[] = [];
  mimeVersion: string | null = null;
  /** The header field being collected (continuation lines joined with a space). */
  headerLine = '';
  /** The field being read is not a MIME field: its lines are skipped. */
  skipField = false;
  /** Raw header bytes kept for ENVELOPE as a binary string (message roots only), null otherwise. */
  capture: string | null;
  captured = 0;

  constructor(parent: WorkPart | null, at: Pos, isMessage: boolean) {
    this.parent = parent;
    this.start = this.end = this.startBody = this.endBody = at;
    this.capture = isMessage ? '' : null;
  }

  get lastPart(): WorkPart | undefined {
    const n = this.parts.length;
    return n === 0 ? undefined : this.parts[n - 1];
  }

  /** update_counts(): this part and every enclosing part. */
  update(end: Pos, endBody: Pos, lines: number): void {
    for (let p: WorkPart | null = this; p !== null; p = p.parent) {
      p.end = end;
      p.endBody = endBody;
      p.nlines += lines;
      if (!p.inHeader) p.nbodylines += lines;
    }
  }

  toMimePart(): MimePart {
    const hasParent = this.parent !== null;
    const end = hasParent ? this.endBody : this.end;
    const nbodylines = hasParent && this.nbodylines > 0 ? this.nbodylines - 1 : this.nbodylines;
    const nlines = hasParent && this.nlines > 0 ? this.nlines - 1 : this.nlines;
    const startBody = this.startBody.raw === this.start.raw ? end : this.startBody;
    const first = this.parts[0];
    const multipart = first?.dummy === true && this.parts.length > 1;
    const size = served(startBody, end, nbodylines);
    return {
      contentType: this.contentType,
      params: this.params.slice(),
      encoding: this.encoding,
      id: this.id,
      description: this.description,
      language: this.language,
      md5: this.md5,
      disposition: this.disposition,
      dispositionParams: this.dispositionParams.slice(),
      multipart,
      hasPreamble: first?.dummy === true,
      children: first?.dummy === true ? this.parts.slice(1).map((p) => p.toMimePart()) : [],
      message: first !== undefined && !first.dummy ? first.toMimePart() : null,
      header:
        this.capture === null ? null : this.capture.slice(0, Math.max(0, startBody.raw - this.start.raw)),
      headerStart: offsets(this.start),
      bodyStart: offsets(startBody),
      bodyEnd: offsets(end),
      size,
      lines: nbodylines,
      headerSize: served(this.start, startBody, nlines - nbodylines),
      fullSize: served(this.start, end, nlines),
    };
  }
}

/**
 * Courier's size of [from, to): raw bytes plus its line count (`lines` stands for the CRs it
 * adds). Courier's count can differ from the LFs really in the range (an attached message
 * ends with its newline, which the count leaves out); that difference is kept, and in the
 * `normalize` line-end mode only the CRs really added are counted.
 */
function served(from: Pos, to: Pos, lines: number): number {
  return to.raw - from.raw + lines - (to.lf - from.lf) + (to.cr - from.cr);
}

export function offsets(p: Pos): Offsets {
  return { raw: p.raw, crlf: p.raw + p.cr };
}
