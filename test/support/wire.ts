// Byte-exact reading of a server's output stream (socket or child stdout): lines, counted literals,
// whole IMAP responses (literal-aware) and POP3 replies (single or multi-line).
import type { Readable } from 'node:stream';

export class WireTimeoutError extends Error {
  override readonly name = 'WireTimeoutError';
  constructor(
    what: string,
    readonly pending: string,
  ) {
    super(`timed out waiting for ${what}; unread data: ${JSON.stringify(pending.slice(0, 500))}`);
  }
}

export class StreamReader {
  private buf: Buffer = Buffer.alloc(0);
  private ended = false;
  private wake: (() => void) | undefined;

  constructor(
    stream: Readable,
    private readonly timeoutMs = 15_000,
  ) {
    stream.on('data', (chunk: Buffer) => {
      this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
      this.notify();
    });
    const end = (): void => {
      this.ended = true;
      this.notify();
    };
    stream.on('end', end);
    stream.on('close', end);
    stream.on('error', end);
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  /** True once the stream ended and everything was consumed. */
  get atEnd(): boolean {
    return this.ended && this.buf.length === 0;
  }

  /** Whatever has arrived and not been read yet (for error messages and unsolicited output). */
  peekPending(): Buffer {
    return this.buf;
  }

  private async waitFor<T>(what: string, take: () => T | undefined): Promise<T | undefined> {
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      const got = take();
      if (got !== undefined) return got;
      if (this.ended) return undefined;
      const left = deadline - Date.now();
      if (left <= 0) throw new WireTimeoutError(what, this.buf.toString('latin1'));
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
  }

  /** One line including its LF (CRLF or bare LF); at EOF the unterminated rest, or undefined if none. */
  async readLine(): Promise<Buffer | undefined> {
    const line = await this.waitFor('a line', () => {
      const i = this.buf.indexOf(10);
      if (i < 0) return undefined;
      const out = this.buf.subarray(0, i + 1);
      this.buf = this.buf.subarray(i + 1);
      return out;
    });
    if (line !== undefined) return line;
    if (this.buf.length === 0) return undefined;
    const rest = this.buf;
    this.buf = Buffer.alloc(0);
    return rest;
  }

  /** Exactly n bytes (fewer only at EOF). */
  async readBytes(n: number): Promise<Buffer> {
    const got = await this.waitFor(`${n} literal bytes`, () => {
      if (this.buf.length < n) return undefined;
      const out = this.buf.subarray(0, n);
      this.buf = this.buf.subarray(n);
      return out;
    });
    if (got !== undefined) return got;
    const rest = this.buf;
    this.buf = Buffer.alloc(0);
    return rest;
  }

  /**
   * One IMAP response: a line, and when it ends in a literal announcement `{n}` the n bytes and the
   * rest of the response, repeatedly. Returns the raw bytes including every CRLF, or undefined at EOF.
   */
  async readImapResponse(): Promise<Buffer | undefined> {
    const parts: Buffer[] = [];
    for (;;) {
      const line = await this.readLine();
      if (line === undefined) return parts.length ? Buffer.concat(parts) : undefined;
      parts.push(line);
      const m = /\{(\d+)\+?\}\r?\n$/.exec(line.toString('latin1'));
      if (!m) return Buffer.concat(parts);
      parts.push(await this.readBytes(Number(m[1])));
    }
  }

  /** A POP3 reply: the status line, and for a multi-line `+OK` reply every line up to `.`. */
  async readPop3Reply(multiline: boolean): Promise<Buffer | undefined> {
    const first = await this.readLine();
    if (first === undefined || !multiline || !first.toString('latin1').startsWith('+OK')) return first;
    const parts: Buffer[] = [first];
    for (;;) {
      const line = await this.readLine();
      if (line === undefined) break;
      parts.push(line);
      if (line.toString('latin1') === '.\r\n' || line.toString('latin1') === '.\n') break;
    }
    return Buffer.concat(parts);
  }
}

/** The tag of an IMAP response line (`*`, `+`, or a command tag). */
export function imapTagOf(response: Buffer | string): string {
  const s = typeof response === 'string' ? response : response.subarray(0, 200).toString('latin1');
  const sp = s.search(/[ \r\n]/);
  return sp < 0 ? s : s.slice(0, sp);
}

/** POP3 commands whose +OK reply is multi-line. */
export function pop3IsMultiline(commandLine: string): boolean {
  const [verb = '', ...args] = commandLine.trim().split(/\s+/);
  switch (verb.toUpperCase()) {
    case 'CAPA':
    case 'RETR':
    case 'TOP':
      return true;
    case 'LIST':
    case 'UIDL':
      return args.length === 0;
    default:
      return false;
  }
}
