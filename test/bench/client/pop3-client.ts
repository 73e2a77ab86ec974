// A small POP3 client for the bench: raw socket, one command at a time. Multi-line replies are found by
// their terminating CRLF.CRLF with Buffer.indexOf over the chunks (no per-line work), and counted in bytes.
import { connect, type Socket } from 'node:net';

export interface Pop3Result {
  readonly ok: boolean;
  /** The status line without CRLF. */
  readonly status: string;
  /** Bytes of the whole reply. */
  readonly bytes: number;
  /** The body (after the status line) when the caller asked to keep it. */
  readonly body: string | undefined;
}

const TERMINATOR = Buffer.from('\r\n.\r\n');

interface Pending {
  readonly multiline: boolean;
  readonly keep: boolean;
  status: string | undefined;
  bytes: number;
  /** Last 4 bytes seen of the multi-line part (to find a terminator split across chunks). */
  tail: Buffer;
  kept: Buffer[];
  resolve(r: Pop3Result): void;
  reject(e: Error): void;
}

export class Pop3Connection {
  private buf: Buffer = Buffer.alloc(0);
  private pending: Pending | undefined;
  private closed: Error | undefined;

  private constructor(
    readonly socket: Socket,
    private readonly timeoutMs: number,
  ) {
    socket.on('data', (chunk: Buffer) => {
      this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
      this.drain();
    });
    const fail = (err?: Error): void => {
      this.closed ??= err ?? new Error('connection closed');
      this.pending?.reject(this.closed);
      this.pending = undefined;
    };
    socket.on('error', fail);
    socket.on('close', () => fail());
  }

  /** Connect and read the greeting; returns the connection and the greeting line. */
  static async open(
    port: number,
    host = '127.0.0.1',
    timeoutMs = 60_000,
  ): Promise<{ conn: Pop3Connection; greeting: string }> {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect({ port, host });
      s.setNoDelay(true);
      s.once('connect', () => {
        s.off('error', reject);
        resolve(s);
      });
      s.once('error', reject);
    });
    const conn = new Pop3Connection(socket, timeoutMs);
    const g = await conn.expect(false, false, 'greeting');
    if (!g.ok) throw new Error(`POP3 greeting: ${g.status}`);
    return { conn, greeting: g.status };
  }

  private drain(): void {
    const p = this.pending;
    if (!p) return;
    if (p.status === undefined) {
      const lf = this.buf.indexOf(10);
      if (lf < 0) return;
      p.status = this.buf
        .subarray(0, lf + 1)
        .toString('latin1')
        .trimEnd();
      p.bytes += lf + 1;
      this.buf = this.buf.subarray(lf + 1);
      if (!p.multiline || !p.status.startsWith('+OK')) {
        this.finish(p);
        return;
      }
      p.tail = Buffer.from('\r\n');
    }
    if (this.buf.length === 0) return;
    const joined = Buffer.concat([p.tail, this.buf]);
    const at = joined.indexOf(TERMINATOR);
    if (at < 0) {
      p.bytes += this.buf.length;
      if (p.keep) p.kept.push(this.buf);
      p.tail = joined.subarray(Math.max(0, joined.length - 4));
      this.buf = Buffer.alloc(0);
      return;
    }
    const endInBuf = at + TERMINATOR.length - p.tail.length;
    p.bytes += endInBuf;
    if (p.keep) p.kept.push(this.buf.subarray(0, endInBuf));
    this.buf = this.buf.subarray(endInBuf);
    this.finish(p);
  }

  private finish(p: Pending): void {
    this.pending = undefined;
    p.resolve({
      ok: p.status?.startsWith('+OK') ?? false,
      status: p.status ?? '',
      bytes: p.bytes,
      body: p.keep ? Buffer.concat(p.kept).toString('latin1') : undefined,
    });
  }

  private expect(multiline: boolean, keep: boolean, what: string): Promise<Pop3Result> {
    if (this.closed) return Promise.reject(this.closed);
    let timer: NodeJS.Timeout | undefined;
    const done = new Promise<Pop3Result>((resolve, reject) => {
      this.pending = {
        multiline,
        keep,
        status: undefined,
        bytes: 0,
        tail: Buffer.alloc(0),
        kept: [],
        resolve,
        reject,
      };
      timer = setTimeout(() => {
        reject(new Error(`POP3 ${what}: no answer within ${this.timeoutMs} ms`));
        this.socket.destroy();
      }, this.timeoutMs);
    });
    queueMicrotask(() => this.drain());
    return done.finally(() => clearTimeout(timer));
  }

  /** Send one command and read its reply; `multiline` for CAPA, LIST, UIDL, RETR, TOP. */
  command(line: string, multiline = false, keep = false): Promise<Pop3Result> {
    if (this.pending) return Promise.reject(new Error('Pop3Connection: one command at a time'));
    const r = this.expect(multiline, keep, line.split(' ', 1)[0] ?? line);
    this.socket.write(`${line}\r\n`);
    return r;
  }

  /**
   * PIPELINING (RFC 2449), for a server that advertises it: all lines written at once, the replies read
   * in order. Returns them in order.
   */
  async pipeline(lines: readonly string[], multiline: boolean): Promise<Pop3Result[]> {
    if (this.pending) throw new Error('Pop3Connection: previous command still running');
    this.socket.write(lines.map((l) => `${l}\r\n`).join(''));
    const out: Pop3Result[] = [];
    for (const l of lines) out.push(await this.expect(multiline, false, l.split(' ', 1)[0] ?? l));
    return out;
  }

  /** USER + PASS; throws unless both are +OK. */
  async login(user: string, pass: string): Promise<void> {
    const u = await this.command(`USER ${user}`);
    if (!u.ok) throw new Error(`USER: ${u.status}`);
    const p = await this.command(`PASS ${pass}`);
    if (!p.ok) throw new Error(`PASS: ${p.status}`);
  }

  /** QUIT, wait (bounded) for the close, destroy. */
  async quit(): Promise<void> {
    if (this.closed) return;
    const closedP = new Promise<void>((r) => this.socket.once('close', () => r()));
    await this.command('QUIT').catch(() => undefined);
    await Promise.race([closedP, new Promise((r) => setTimeout(r, 2000))]);
    this.socket.destroy();
  }

  destroy(): void {
    this.socket.destroy();
  }
}
