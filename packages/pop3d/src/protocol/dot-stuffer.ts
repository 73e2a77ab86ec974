const LF = 0x0a;
const CR = 0x0d;
const DOT = 0x2e;

export interface DotStufferOptions {
  /** TOP: body lines to send after the header (undefined = whole message). */
  readonly topLines?: number;
}

/**
 * Turns a CRLF message stream into a POP3 multi-line body: lines starting with `.` get another
 * `.`, a missing final CRLF is added, and `.CRLF` ends it. For TOP the header is sent whole and
 * then `topLines` body lines (the header ends at the first empty line, CRs ignored).
 * Feed chunks with push(); finish() returns the tail. done says TOP needs no more input.
 */
export class DotStuffer {
  private atLineStart = true;
  private lastByte = LF;
  private inHeader = true;
  private lineIsBlank = true;
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
    const out: Buffer[] = [];
    let from = 0;
    let i = 0;
    for (; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (this.atLineStart) {
        if (this.inHeader === false && this.remaining !== Number.POSITIVE_INFINITY) {
          if (this.remaining === 0) {
            this.finished = true;
            break;
          }
          this.remaining--;
        }
        this.atLineStart = false;
        this.lineIsBlank = true;
        if (c === DOT) {
          out.push(chunk.subarray(from, i), Buffer.from('.'));
          from = i;
        }
      }
      if (c === LF) {
        this.atLineStart = true;
        this.consumed -= this.lastByte === CR ? 1 : 0;
        if (this.inHeader && this.lineIsBlank && this.remaining !== Number.POSITIVE_INFINITY) {
          this.inHeader = false;
        }
      } else if (c !== CR) {
        this.lineIsBlank = false;
      }
      this.lastByte = c;
      this.consumed++;
    }
    out.push(chunk.subarray(from, i));
    return out.length === 1 ? out[0]! : Buffer.concat(out);
  }

  /** The end of the reply: a CRLF if the message did not end with one, then `.CRLF`. */
  finish(): Buffer {
    this.finished = true;
    return Buffer.from(this.atLineStart ? '.\r\n' : '\r\n.\r\n', 'latin1');
  }
}
