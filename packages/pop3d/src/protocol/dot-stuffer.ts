const LF = 0x0a;
const CR = 0x0d;
const DOT = 0x2e;
const DOT_BUF = Buffer.from('.');

/**
 * Whether bytes [from, to) can still be part of an empty line: the CRLF form of an empty line of the
 * stored file is `CR LF`, so at most one CR. (A CRLF-stored file's empty line arrives as CR CR LF and,
 * as in courierpop3d, does not end the header: TOP then sends the whole message.)
 */
function stillBlank(b: Buffer, from: number, to: number, crSoFar: number): number {
  let crs = crSoFar;
  for (let i = from; i < to; i++) {
    if (b[i] !== CR || ++crs > 1) return -1;
  }
  return crs;
}

export interface DotStufferOptions {
  /** TOP: body lines to send after the header (undefined = whole message). */
  readonly topLines?: number;
}

/**
 * Turns a CRLF message stream into a POP3 multi-line body: lines starting with `.` get another
 * `.`, a missing final CRLF is added, and `.CRLF` ends it. For TOP the header is sent whole and
 * then `topLines` body lines (the header ends at the first empty line of the stored file, as in courierpop3d).
 * Feed chunks with push(); finish() returns the tail. done says TOP needs no more input.
 */
export class DotStuffer {
  private atLineStart = true;
  private lastByte = LF;
  private inHeader = true;
  private lineIsBlank = true;
  private blankCrs = 0;
  private remaining: number;
  private finished = false;
  /** Source bytes consumed, not counting the CR of each CRLF (Courier's top=/retr= counters). */
  consumed = 0;

  constructor(options: DotStufferOptions = {}) {
    this.remaining = options.topLines ?? Number.POSITIVE_INFINITY;
    if (options.topLines === undefined) this.inHeader = false;
  }

  get done(): boolean {
    return this.finished;
  }

  push(chunk: Buffer): Buffer {
    if (this.finished) return Buffer.alloc(0);
    const limited = this.remaining !== Number.POSITIVE_INFINITY;
    const out: Buffer[] = [];
    let from = 0;
    let pos = 0;
    // Line by line with indexOf (no per-byte loop): only line starts and line ends matter.
    while (pos < chunk.length) {
      if (this.atLineStart) {
        if (limited && !this.inHeader) {
          if (this.remaining === 0) {
            this.finished = true;
            break;
          }
          this.remaining--;
        }
        this.atLineStart = false;
        this.lineIsBlank = true;
        this.blankCrs = 0;
        if (chunk[pos] === DOT) {
          out.push(chunk.subarray(from, pos), DOT_BUF);
          from = pos;
        }
      }
      const lf = chunk.indexOf(LF, pos);
      const end = lf === -1 ? chunk.length : lf;
      if (limited && this.inHeader && this.lineIsBlank) {
        const crs = stillBlank(chunk, pos, end, this.blankCrs);
        this.lineIsBlank = crs >= 0;
        this.blankCrs = Math.max(crs, 0);
      }
      if (lf === -1) {
        this.consumed += chunk.length - pos;
        this.lastByte = chunk[chunk.length - 1]!;
        pos = chunk.length;
        break;
      }
      const prev = lf > pos ? chunk[lf - 1]! : this.lastByte;
      this.consumed += lf + 1 - pos - (prev === CR ? 1 : 0);
      if (limited && this.inHeader && this.lineIsBlank) this.inHeader = false;
      this.lastByte = LF;
      this.atLineStart = true;
      pos = lf + 1;
    }
    out.push(chunk.subarray(from, pos));
    return out.length === 1 ? out[0]! : Buffer.concat(out);
  }

  /** The end of the reply: a CRLF if the message did not end with one, then `.CRLF`. */
  finish(): Buffer {
    this.finished = true;
    return Buffer.from(this.atLineStart ? '.\r\n' : '\r\n.\r\n', 'latin1');
  }
}
