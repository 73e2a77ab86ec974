// Splits an IMAP server's byte stream into whole responses: lines, and after a line ending in {n}
// (or {n+}) exactly n literal bytes, repeatedly. Literal bytes are counted and skipped, never copied,
// so a 600 MB download costs no more than the socket reads themselves.

/** Called per complete response: its first line (up to 4 KB, latin1), total bytes, literal bytes. */
export type ResponseHandler = (head: string, bytes: number, literalBytes: number) => void;

const LITERAL_AT_END = /\{(\d+)\+?\}\r?\n$/;
const HEAD_MAX = 4096;

export class ResponseSplitter {
  /** Partial current line. */
  private line: Buffer[] = [];
  private lineLen = 0;
  /** Literal bytes still to skip. */
  private literalLeft = 0;
  /** First line of the current response (set once). */
  private head: string | undefined;
  private bytes = 0;
  private literalBytes = 0;

  constructor(private readonly onResponse: ResponseHandler) {}

  push(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length) {
      if (this.literalLeft > 0) {
        const take = Math.min(this.literalLeft, chunk.length - pos);
        this.literalLeft -= take;
        this.bytes += take;
        this.literalBytes += take;
        pos += take;
        continue;
      }
      const lf = chunk.indexOf(10, pos);
      if (lf < 0) {
        this.keepLinePart(chunk.subarray(pos));
        return;
      }
      this.keepLinePart(chunk.subarray(pos, lf + 1));
      pos = lf + 1;
      this.endOfLine();
    }
  }

  private keepLinePart(part: Buffer): void {
    this.bytes += part.length;
    // Only the tail matters for the literal check and the head for the caller: cap what is kept.
    if (this.lineLen < HEAD_MAX) this.line.push(part);
    else {
      this.line.push(part.subarray(Math.max(0, part.length - 32)));
    }
    this.lineLen += part.length;
  }

  private endOfLine(): void {
    const text = Buffer.concat(this.line).toString('latin1');
    this.line = [];
    this.lineLen = 0;
    if (this.head === undefined) this.head = text.length > HEAD_MAX ? text.slice(0, HEAD_MAX) : text;
    const m = LITERAL_AT_END.exec(text.length > 40 ? text.slice(-40) : text);
    if (m) {
      this.literalLeft = Number(m[1]);
      if (this.literalLeft > 0) return;
      return; // {0}: the response continues on the next line
    }
    const head = this.head;
    const bytes = this.bytes;
    const lit = this.literalBytes;
    this.head = undefined;
    this.bytes = 0;
    this.literalBytes = 0;
    this.onResponse(head, bytes, lit);
  }
}
