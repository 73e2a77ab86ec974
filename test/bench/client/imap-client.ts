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
  private readonly queue: Pending[] = [];
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
      for (const q of this.queue.splice(0)) q.reject(this.closed);
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
    if (this.greeting === undefined && this.queue.length === 0) {
      this.greeting = head;
      this.greetingWait?.resolve(head);
      this.greetingWait = undefined;
      return;
    }
    // Responses belong to the oldest command still waiting (commands complete in order here).
    const p = this.queue[0];
    if (!p) return; // unsolicited (e.g. untagged EXISTS while idle): ignored
    p.bytes += bytes;
    p.literalBytes += literalBytes;
    const sp = head.indexOf(' ');
    const tag = sp < 0 ? head.trim() : head.slice(0, sp);
    if (tag === p.tag || (p.stopAtContinuation && tag === '+')) {
      this.queue.shift();
      const word =
        head
          .slice(sp + 1)
          .split(' ', 1)[0]
          ?.toUpperCase() ?? '';
      const status = tag === '+' ? 'OK' : word === 'OK' || word === 'NO' || word === 'BAD' ? word : 'BAD';
      p.resolve(result(p, status, head));
      return;
    }
    p.untaggedCount++;
    if (p.keep && p.untagged.length < 10_000) p.untagged.push(head.trimEnd());
    if (head.startsWith('* BYE')) {
      for (const q of this.queue.splice(0)) q.resolve(result(q, 'BYE', head));
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

  private enqueue(
    command: string,
    opts: { keep?: boolean; stopAtContinuation?: boolean },
  ): { line: string; done: Promise<ImapResult> } {
    this.n++;
    const tag = `b${this.n}`;
    const done = new Promise<ImapResult>((resolve, reject) => {
      this.queue.push({
        tag,
        keep: opts.keep ?? false,
        stopAtContinuation: opts.stopAtContinuation ?? false,
        untagged: [],
        untaggedCount: 0,
        bytes: 0,
        literalBytes: 0,
        resolve,
        reject,
      });
    });
    return { line: `${tag} ${command}\r\n`, done };
  }

  /**
   * Send `command` with a fresh tag and wait for its tagged reply (or, with stopAtContinuation, a `+`).
   * keep: keep the text (first line, up to 4 KB) of each untagged response. One command at a time.
   */
  command(command: string, opts: { keep?: boolean; stopAtContinuation?: boolean } = {}): Promise<ImapResult> {
    if (this.closed) return Promise.reject(this.closed);
    if (this.queue.length) return Promise.reject(new Error('ImapConnection: one command at a time'));
    const { line, done } = this.enqueue(command, opts);
    this.socket.write(line);
    return this.guard(done, command.split(' ', 1)[0] ?? command);
  }

  /**
   * Pipelining, for commands RFC 3501 lets a client send without waiting (e.g. FETCHes): all are written
   * at once, the replies come back in order.
   */
  pipeline(commands: readonly string[]): Promise<ImapResult[]> {
    if (this.closed) return Promise.reject(this.closed);
    if (this.queue.length)
      return Promise.reject(new Error('ImapConnection: previous commands still running'));
    const sent = commands.map((c) => this.enqueue(c, {}));
    this.socket.write(sent.map((x) => x.line).join(''));
    return this.guard(Promise.all(sent.map((x) => x.done)), `${commands.length} pipelined commands`);
  }

  /** A command is waiting for its reply. */
  get busy(): boolean {
    return this.queue.length > 0;
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

function result(p: Pending, status: ImapResult['status'], head: string): ImapResult {
  return {
    status,
    tagged: head.trimEnd(),
    untaggedCount: p.untaggedCount,
    untagged: p.untagged,
    bytes: p.bytes,
    literalBytes: p.literalBytes,
  };
}

export function quote(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
