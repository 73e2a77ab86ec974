import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LoginCredentials } from '@courier-ts/authlib';
import {
  type ConnectionInfo,
  Deadline,
  discardUnread,
  LineReader,
  ReplyWriter,
  type TlsResult,
} from '@courier-ts/runtime';
import type { Logger } from 'pino';
import { parseCommandLine } from '../protocol/command-line.js';
import { line, multiline, REPLY, withCode } from '../protocol/replies.js';
import type { CommandTable } from './types.js';

/** What a credential check may say; the server decides (authenticator + privilege check). */
export type LoginVerdict<A> =
  | { readonly kind: 'ok'; readonly account: A }
  | { readonly kind: 'rejected' }
  /** Right password, but the LOGIN-DELAY since this account's previous login has not passed. */
  | { readonly kind: 'delayed' }
  | { readonly kind: 'tempfail' };

export interface AuthPhaseSettings {
  readonly tlsRequired: boolean;
  readonly failDelayMs: number;
  readonly maxLineLength: number;
  readonly preLoginTimeoutMs: number;
  readonly maxBadCommands: number;
  readonly respCodes: boolean;
  readonly hostname: string;
}

export interface AuthPhaseDeps<A> {
  readonly settings: AuthPhaseSettings;
  readonly commands: CommandTable<AuthSession<A>>;
  /** CAPA lines for the current TLS state (without head and dot). */
  readonly capa: (tls: boolean, starttls: boolean) => readonly string[];
  /** Whether STLS can be offered now (certificate present, POP3_STARTTLS, not under TLS). */
  readonly starttlsAvailable: boolean;
  readonly upgrade: (socket: Socket) => Promise<TlsResult>;
  readonly verify: (creds: LoginCredentials, session: AuthSession<A>) => Promise<LoginVerdict<A>>;
  /** SASL EXTERNAL: the login id of the verified TLS client certificate (TLS_EXTERNAL), if any. */
  readonly external?: () => string | undefined;
}

export type AuthPhaseResult<A> =
  | {
      readonly kind: 'login';
      readonly account: A;
      readonly stream: Duplex;
      readonly pending: Buffer;
      readonly tls: boolean;
      readonly utf8: boolean;
    }
  | { readonly kind: 'end' };

/** The AUTHORIZATION state (courierpop3login): one per connection, before login. */
export class AuthSession<A> {
  readonly info: ConnectionInfo;
  readonly log: Logger;
  readonly deps: AuthPhaseDeps<A>;
  stream: Duplex;
  tls: boolean;
  utf8 = false;
  /** USER's argument, waiting for PASS. */
  user: string | undefined;
  account: A | undefined;
  private writer: ReplyWriter;
  private reader: LineReader;

  constructor(stream: Duplex, tls: boolean, info: ConnectionInfo, log: Logger, deps: AuthPhaseDeps<A>) {
    this.stream = stream;
    this.tls = tls;
    this.info = info;
    this.log = log;
    this.deps = deps;
    this.writer = new ReplyWriter(stream);
    this.reader = new LineReader(stream, { maxLineLength: deps.settings.maxLineLength });
  }

  get starttls(): boolean {
    return this.deps.starttlsAvailable && !this.tls;
  }

  reply(text: string, code?: string): Promise<void> {
    return this.writer.write(line(this.deps.settings.respCodes ? withCode(text, code) : text));
  }

  capa(): Promise<void> {
    return this.writer.write(multiline(REPLY.capaHead, this.deps.capa(this.tls, this.starttls)));
  }

  /** A SASL continuation line; undefined at end of input. */
  async readContinuation(): Promise<string | undefined> {
    const r = await this.reader.next();
    if (r.kind === 'eof') return undefined;
    if (r.kind === 'too-long') return '';
    return r.line.toString('latin1');
  }

  /** STLS: discard anything pipelined, send the go-ahead in plaintext, then handshake. */
  async startTls(): Promise<boolean> {
    const socket = this.stream as Socket;
    const leaked = this.reader.detach().length + discardUnread(socket);
    if (leaked > 0) this.log.warn({ bytes: leaked }, 'discarded plaintext sent after STLS');
    await new Promise<void>((resolve) => socket.write(line(REPLY.stls), 'latin1', () => resolve()));
    const r = await this.deps.upgrade(socket);
    if (r.kind === 'failed') {
      this.log.info({ reason: r.reason }, 'STLS handshake failed');
      return false;
    }
    this.stream = r.socket;
    this.tls = true;
    this.writer = new ReplyWriter(r.socket);
    this.reader = new LineReader(r.socket, { maxLineLength: this.deps.settings.maxLineLength });
    return true;
  }

  /** Check credentials; on failure log Courier's line and wait the failure delay. */
  async attempt(
    creds: LoginCredentials,
    logWho: { user: string } | { method: string },
  ): Promise<LoginVerdict<A>> {
    const v = await this.deps.verify(creds, this);
    if (v.kind === 'ok') {
      this.account = v.account;
      return v;
    }
    // the password was right: not a failed login for fail2ban
    if (v.kind === 'delayed') return v;
    this.logFailure(logWho);
    if (v.kind === 'rejected') await sleep(this.deps.settings.failDelayMs);
    return v;
  }

  logFailure(who: { user: string } | { method: string }): void {
    const w = 'user' in who ? `user=${who.user}` : `method=${who.method}`;
    this.log.info(`LOGIN FAILED, ${w}, ip=[${this.info.remoteIp}], port=[${this.info.remotePort}]`);
  }

  failDelay(): Promise<void> {
    return sleep(this.deps.settings.failDelayMs).then(() => undefined);
  }

  /** Bytes read past the login command (pipelined), to be replayed in the session. */
  takePending(): Buffer {
    const fromReader = this.reader.detach();
    const more: Buffer[] = [fromReader];
    for (let b = this.stream.read() as Buffer | null; b !== null; b = this.stream.read() as Buffer | null) {
      more.push(b);
    }
    return Buffer.concat(more);
  }

  /** Run the AUTHORIZATION loop until login, QUIT, timeout or disconnect. */
  async run(greeting: string, signal?: AbortSignal): Promise<AuthPhaseResult<A>> {
    const s = this.deps.settings;
    let expired = false;
    const cap = new Deadline(s.preLoginTimeoutMs, () => {
      expired = true;
      this.reader.detach();
    });
    cap.reset();
    const onAbort = (): void => {
      this.reader.detach();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await this.reply(greeting);
      let bad = 0;
      for (;;) {
        const r = await this.reader.next();
        if (r.kind === 'eof') {
          if (expired) this.log.info(`TIMEOUT, ip=[${this.info.remoteIp}], port=[${this.info.remotePort}]`);
          return { kind: 'end' };
        }
        let outcome: 'continue' | 'end' = 'continue';
        let handled = false;
        if (r.kind === 'line') {
          const cmd = parseCommandLine(r.line);
          const handler = this.deps.commands.get(cmd.verb);
          if (handler) {
            handled = true;
            outcome = await handler.run(this, cmd);
          }
        }
        if (this.account !== undefined) {
          return {
            kind: 'login',
            account: this.account,
            stream: this.stream,
            pending: this.takePending(),
            tls: this.tls,
            utf8: this.utf8,
          };
        }
        if (outcome === 'end') return { kind: 'end' };
        if (!handled) {
          await this.reply(REPLY.invalidCommand);
          if (s.maxBadCommands > 0 && ++bad >= s.maxBadCommands) {
            await this.reply(REPLY.tooManyErrors);
            return { kind: 'end' };
          }
        } else {
          bad = 0;
        }
      }
    } finally {
      cap.clear();
      signal?.removeEventListener('abort', onAbort);
    }
  }
}
