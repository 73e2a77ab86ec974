/**
 * One streaming pass over a message: byte count, LF count, and whether any header block
 * (top level and MIME parts; not the headers inside message/rfc822, as courierpop3d) holds 8-bit bytes — what Courier's
 * rfc2045 parser reports as RFC2045_ERR8BITHEADER (courierpop3d's utf8 flag).
 */

const MAX_LINE = 998 * 4;
const MAX_HEADER = 64 * 1024;

interface Level {
  readonly boundary: string;
}

export interface ScanSummary {
  readonly size: number;
  readonly lfs: number;
  readonly utf8Headers: boolean;
}

function headerParams(header: string): { type: string; boundary: string | undefined } {
  const unfolded = header.replace(/\n[ \t]+/g, ' ');
  const m = /^content-type:[ \t]*([^;\n]*)(.*)$/im.exec(unfolded);
  if (!m) return { type: 'text/plain', boundary: undefined };
  const type = m[1]!.trim().toLowerCase();
  const b = /;\s*boundary\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(m[2]!);
  return { type, boundary: b ? (b[1] ?? b[2]) : undefined };
}

export class MimeScanner {
  private size = 0;
  private lfs = 0;
  private utf8 = false;
  private inHeader = true;
  private header = '';
  /** The current line's kept text (latin1), in pieces when it spans chunks. */
  private line: string[] = [];
  private lineLen = 0;
  private lineHas8bit = false;
  /** The current line may matter: a header line, or a body line starting with '-'. */
  private candidate = true;
  private readonly stack: Level[] = [];

  /**
   * No Buffer view per line: a body line that cannot be a boundary is only measured, and a line
   * that matters is made into a string straight from the chunk (the caller may then reuse it).
   */
  push(chunk: Buffer): void {
    this.size += chunk.length;
    let start = 0;
    for (;;) {
      if (!this.inHeader && this.stack.length === 0 && this.lineLen === 0) {
        // Plain body from here: nothing left to parse, only count lines.
        for (let i = chunk.indexOf(10, start); i >= 0; i = chunk.indexOf(10, i + 1)) this.lfs++;
        return;
      }
      const i = chunk.indexOf(10, start);
      if (i < 0) {
        // A line that goes on in the next chunk.
        this.addPart(chunk, start, chunk.length);
        return;
      }
      this.lfs++;
      this.addPart(chunk, start, i);
      this.endLine();
      start = i + 1;
    }
  }

  end(): ScanSummary {
    if (this.lineLen > 0) this.endLine();
    return { size: this.size, lfs: this.lfs, utf8Headers: this.utf8 };
  }

  /** `buf[s, e)`: (part of) the current line. */
  private addPart(buf: Buffer, s: number, e: number): void {
    if (e <= s) return;
    if (this.lineLen === 0) this.candidate = this.inHeader || buf[s] === 0x2d;
    if (!this.candidate) {
      this.lineLen += e - s;
      return;
    }
    if (this.inHeader && !this.lineHas8bit) {
      for (let k = s; k < e; k++) {
        if (buf[k]! >= 0x80) {
          this.lineHas8bit = true;
          break;
        }
      }
    }
    if (this.lineLen < MAX_LINE)
      this.line.push(buf.toString('latin1', s, Math.min(e, s + MAX_LINE - this.lineLen)));
    this.lineLen += e - s;
  }

  private endLine(): void {
    if (!this.candidate && this.lineLen > 0) {
      // A body line that cannot be a boundary.
      this.lineLen = 0;
      this.lineHas8bit = false;
      return;
    }
    let text = this.line.length === 1 ? this.line[0]! : this.line.join('');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    this.line = [];
    this.lineLen = 0;
    const had8 = this.lineHas8bit;
    this.lineHas8bit = false;
    if (this.inHeader) {
      if (had8) this.utf8 = true;
      if (text === '') {
        this.endHeader();
      } else if (this.header.length < MAX_HEADER) {
        this.header += `${text}\n`;
      }
      return;
    }
    if (this.stack.length === 0 || !text.startsWith('--')) return;
    for (let d = this.stack.length - 1; d >= 0; d--) {
      const b = this.stack[d]!.boundary;
      if (!text.startsWith(`--${b}`)) continue;
      const rest = text.slice(b.length + 2);
      this.stack.length = d + 1;
      if (rest.startsWith('--')) this.stack.length = d;
      else {
        this.inHeader = true;
        this.header = '';
      }
      return;
    }
  }

  private endHeader(): void {
    const { type, boundary } = headerParams(this.header);
    this.header = '';
    if (type.startsWith('multipart/') && boundary) {
      this.stack.push({ boundary });
      this.inHeader = false;
    } else {
      this.inHeader = false;
    }
  }
}
