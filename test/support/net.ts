// Small TCP helpers for tests: free ports, and line-oriented IMAP / POP3 clients that read whole
// responses (IMAP literal-aware, POP3 multi-line aware) without any client library in between.
import { connect, createServer, type Socket } from 'node:net';
import { imapTagOf, pop3IsMultiline, StreamReader } from './wire.js';

/** A TCP port that was free a moment ago on `host` (the OS picks it). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Whether something accepts connections on host:port right now. */
export function portOpen(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ port, host });
    const done = (ok: boolean): void => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

export class LineClient {
  readonly reader: StreamReader;

  protected constructor(
    readonly socket: Socket,
    timeoutMs: number,
  ) {
    this.reader = new StreamReader(socket, timeoutMs);
  }

  protected static open(port: number, host: string): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const s = connect({ port, host });
      s.setNoDelay(true);
      s.once('connect', () => resolve(s));
      s.once('error', reject);
    });
  }

  /** Send one line; CRLF is appended. */
  send(line: string | Buffer): void {
    this.socket.write(typeof line === 'string' ? `${line}\r\n` : Buffer.concat([line, Buffer.from('\r\n')]));
  }

  /** Send raw bytes (a literal, or a line with its own ending). */
  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  async readLine(): Promise<string | undefined> {
    return (await this.reader.readLine())?.toString('utf8');
  }

  close(): void {
    this.socket.destroy();
  }
}

export interface ImapReply {
  /** Every response received, raw (CRLF and literals included), the tagged one last. */
  readonly responses: string[];
  /** The tagged completion line. */
  readonly tagged: string;
  /** `OK`, `NO` or `BAD` (or `BYE` when the connection ended first). */
  readonly status: string;
}

export class ImapClient extends LineClient {
  private n = 0;

  static async connect(port: number, host = '127.0.0.1', timeoutMs = 15_000): Promise<ImapClient> {
    return new ImapClient(await LineClient.open(port, host), timeoutMs);
  }

  async greeting(): Promise<string> {
    return (await this.reader.readImapResponse())?.toString('utf8') ?? '';
  }

  nextTag(): string {
    this.n += 1;
    return `t${this.n}`;
  }

  /** Read responses until the one tagged `tag`; `+` continuations end the wait too. */
  async until(tag: string, stopAtContinuation = false): Promise<ImapReply> {
    const responses: string[] = [];
    for (;;) {
      const r = await this.reader.readImapResponse();
      if (r === undefined) return { responses, tagged: '', status: 'BYE' };
      const s = r.toString('utf8');
      responses.push(s);
      const t = imapTagOf(s);
      if (t === tag || (stopAtContinuation && t === '+')) {
        const status = s.split(' ')[1] ?? '';
        return { responses, tagged: s, status: t === '+' ? '+' : status.toUpperCase() };
      }
    }
  }

  /**
   * A command ending in a synchronising literal: sends `TAG text {n}`, waits for the `+` continuation
   * (or a tagged refusal, which is returned as is), then sends the literal and `rest` and reads the reply.
   */
  async commandWithLiteral(text: string, literal: Buffer | string, rest = ''): Promise<ImapReply> {
    const tag = this.nextTag();
    const data = typeof literal === 'string' ? Buffer.from(literal) : literal;
    this.send(`${tag} ${text} {${data.length}}`);
    const first = await this.until(tag, true);
    if (first.status !== '+') return first;
    this.write(Buffer.concat([data, Buffer.from(`${rest}\r\n`)]));
    const done = await this.until(tag);
    return { ...done, responses: [...first.responses, ...done.responses] };
  }

  /** Run one command (without tag; a fresh tag is added) and collect its responses. */
  async command(text: string): Promise<ImapReply> {
    const tag = this.nextTag();
    this.send(`${tag} ${text}`);
    return this.until(tag);
  }
}

export class Pop3Client extends LineClient {
  static async connect(port: number, host = '127.0.0.1', timeoutMs = 15_000): Promise<Pop3Client> {
    return new Pop3Client(await LineClient.open(port, host), timeoutMs);
  }

  async greeting(): Promise<string> {
    return (await this.reader.readLine())?.toString('utf8') ?? '';
  }

  /** Send a command and read its reply (multi-line for CAPA, LIST, UIDL, RETR, TOP). */
  async command(line: string): Promise<string> {
    this.send(line);
    return (await this.reader.readPop3Reply(pop3IsMultiline(line)))?.toString('utf8') ?? '';
  }
}
