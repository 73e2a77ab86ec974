// A small IMAP client for the bench: raw socket, one command at a time (as a normal client sends them),
// responses parsed just enough to find their ends (literal-aware) and counted in bytes. Bodies are
// skipped by count, never kept; short responses are kept as text when the caller asks for them.
import { connect, type Socket } from 'node:net';
import { ResponseSplitter } from './imap-splitter.js';

export interface ImapResult {
  readonly status: 'OK' | 'NO' | 'BAD' | 'BYE';
  readonly tagged: string;
  /** Untagged responses received for this command. */
  readonly untaggedCount: number;
  /** Text of short untagged responses (kept only with `keep: true`). */
  readonly untagged: readonly string[];
  /** Bytes of all responses (untagged + tagged). */
  readonly bytes: number;
  /** Bytes inside literals (message data). */
  readonly literalBytes: number;
}

interface Pending {
  readonly tag: string;
  readonly keep: boolean;
  readonly stopAtContinuation: boolean;
  untagged: string[];
  untaggedCount: number;
  bytes: number;
  literalBytes: number;
  resolve(r: ImapResult): void;
  reject(e: Error): void;
}

export class ImapConnection {
  private readonly splitter: ResponseSplitter;
  private pending: Pending | undefined;
  private greetingWait: { resolve(s: string): void; reject(e: Error): void } | undefined;
  private greeting: string | undefined;
  private closed: Error | undefined;
  private n = 0;

  private constructor(
    readonly socket: Socket,
    private readonly timeoutMs: number,
  ) {
    this.splitter = new ResponseSplitter((head, bytes, literalBytes) =>
      this.onResponse(head, bytes, literalBytes),
    );
    socket.on('data', (chunk: Buffer) => this.splitter.push(chunk));
    const fail = (err?: Error): void => {
      this.closed ??= err ?? new Error('connection closed');
      this.pending?.reject(this.closed);
      this.pending = undefined;
      this.greetingWait?.reject(this.closed);
      this.greetingWait = undefined;
    };
    socket.on('error', fail);
    socket.on('close', () => fail());
  }

  /** Connect and wait for the greeting. */
  static async open(port: number, host = '127.0.0.1', timeoutMs = 60_000): Promise<ImapConnection> {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect({ port, host });
      s.setNoDelay(true);
      s.once('connect', () => {
        s.off('error', reject);
        resolve(s);
      });
      s.once('error', reject);
    });
    const c = new ImapConnection(socket, timeoutMs);
    await c.waitGreeting();
    return c;
  }

  private waitGreeting(): Promise<string> {
    if (this.greeting !== undefined) return Promise.resolve(this.greeting);
    if (this.closed) return Promise.reject(this.closed);
    return this.guard(
      new Promise((resolve, reject) => (this.greetingWait = { resolve, reject })),
      'greeting',
    );
  }

  private onResponse(head: string, bytes: number, literalBytes: number): void {
    if (this.greeting === undefined && !this.pending) {
      this.greeting = head;
      this.greetingWait?.resolve(head);
      this.greetingWait = undefined;
      return;
    }
    const p = this.pending;
    if (!p) return; // unsolicited (e.g. untagged EXISTS while idle): ignored
    p.bytes += bytes;
    p.literalBytes += literalBytes;
    const sp = head.indexOf(' ');
    const tag = sp < 0 ? head.trim() : head.slice(0, sp);
    if (tag === p.tag || (p.stopAtContinuation && tag === '+')) {
      this.pending = undefined;
      const word =
        head
          .slice(sp + 1)
          .split(' ', 1)[0]
          ?.toUpperCase() ?? '';
      const status = tag === '+' ? 'OK' : word === 'OK' || word === 'NO' || word === 'BAD' ? word : 'BAD';
      p.resolve({
        status,
        tagged: head.trimEnd(),
        untaggedCount: p.untaggedCount,
        untagged: p.untagged,
        bytes: p.bytes,
        literalBytes: p.literalBytes,
      });
      return;
    }
    p.untaggedCount++;
    if (p.keep && p.untagged.length < 10_000) p.untagged.push(head.trimEnd());
    if (head.startsWith('* BYE')) {
      this.pending = undefined;
      p.resolve({
        status: 'BYE',
        tagged: head.trimEnd(),
        untaggedCount: p.untaggedCount,
        untagged: p.untagged,
        bytes: p.bytes,
        literalBytes: p.literalBytes,
      });
    }
  }

  private guard<T>(p: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const t = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new Error(`IMAP ${what}: no answer within ${this.timeoutMs} ms`));
        this.socket.destroy();
      }, this.timeoutMs);
    });
    return Promise.race([p, t]).finally(() => clearTimeout(timer));
  }

  /**
   * Send `command` with a fresh tag and wait for its tagged reply (or, with stopAtContinuation, a `+`).
   * keep: keep the text (first line, up to 4 KB) of each untagged response.
   */
  command(command: string, opts: { keep?: boolean; stopAtContinuation?: boolean } = {}): Promise<ImapResult> {
    if (this.closed) return Promise.reject(this.closed);
    if (this.pending) return Promise.reject(new Error('ImapConnection: one command at a time'));
    this.n++;
    const tag = `b${this.n}`;
    const done = new Promise<ImapResult>((resolve, reject) => {
      this.pending = {
        tag,
        keep: opts.keep ?? false,
        stopAtContinuation: opts.stopAtContinuation ?? false,
        untagged: [],
        untaggedCount: 0,
        bytes: 0,
        literalBytes: 0,
        resolve,
        reject,
      };
    });
    this.socket.write(`${tag} ${command}\r\n`);
    return this.guard(done, command.split(' ', 1)[0] ?? command);
  }

  /** Send a raw line (e.g. DONE) and wait for the tagged reply of the command in `tag` position. */
  async finishIdle(idleTag: string): Promise<ImapResult> {
    const done = new Promise<ImapResult>((resolve, reject) => {
      this.pending = {
        tag: idleTag,
        keep: false,
        stopAtContinuation: false,
        untagged: [],
        untaggedCount: 0,
        bytes: 0,
        literalBytes: 0,
        resolve,
        reject,
      };
    });
    this.socket.write('DONE\r\n');
    return this.guard(done, 'DONE');
  }

  /** A command is waiting for its reply. */
  get busy(): boolean {
    return this.pending !== undefined;
  }

  /** The tag the last command used. */
  get lastTag(): string {
    return `b${this.n}`;
  }

  /** LOGIN with quoted credentials; throws unless OK. */
  async login(user: string, pass: string): Promise<void> {
    const r = await this.command(`LOGIN ${quote(user)} ${quote(pass)}`);
    if (r.status !== 'OK') throw new Error(`LOGIN failed: ${r.tagged}`);
  }

  /** SELECT/EXAMINE; returns the EXISTS count. */
  async select(folder: string, verb: 'SELECT' | 'EXAMINE' = 'SELECT'): Promise<number> {
    const r = await this.command(`${verb} ${quote(folder)}`, { keep: true });
    if (r.status !== 'OK') throw new Error(`${verb} ${folder} failed: ${r.tagged}`);
    for (const u of r.untagged) {
      const m = /^\* (\d+) EXISTS/i.exec(u);
      if (m) return Number(m[1]);
    }
    return 0;
  }

  /** LOGOUT and wait for the server to close (bounded); then destroy. */
  async logout(): Promise<void> {
    if (this.closed) return;
    const closedP = new Promise<void>((r) => this.socket.once('close', () => r()));
    await this.command('LOGOUT').catch(() => undefined);
    await Promise.race([closedP, new Promise((r) => setTimeout(r, 2000))]);
    this.socket.destroy();
  }

  destroy(): void {
    this.socket.destroy();
  }
}

export function quote(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
