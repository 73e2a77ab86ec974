/**
 * The IMAP session engine: reads parser events, enforces each command's allowed states, runs
 * commands strictly in order (pipelined input waits in the parser), maps every failure once to
 * Courier's reply, counts consecutive protocol violations, and handles literals (APPEND streams).
 */
import { Deadline } from '@courier-ts/runtime';
import type { Logger } from 'pino';
import { BadCommandError, RefusedError } from '../errors.js';
import type { ErrorEvent, LiteralEvent } from '../protocol/parser-events.js';
import type { ParsedCommand } from '../protocol/tokens.js';
import type { ImapSessionSettings } from '../settings.js';
import { capabilityList } from './capabilities.js';
import type { CommandContext, CommandOutcome, CommandRegistry, IdleWake, LoginServices } from './command.js';
import { ERROR_REPLY, errorReply, TEXT, taggedLine } from './error-reply.js';
import type { ImapIo } from './io.js';
import { dispatchLiteral } from './literal-dispatch.js';
import type { SelectedMailbox } from './selected.js';
import type { SessionState, StateKind, UserSpace } from './state.js';
import { upgradeToTls } from './tls-upgrade.js';

export interface SessionDeps {
  readonly registry: CommandRegistry;
  readonly implemented: ReadonlySet<string>;
  readonly settings: ImapSessionSettings;
  readonly log: Logger;
  readonly tls: boolean;
  /** Pre-login services (network mode before LOGIN). */
  readonly login?: LoginServices;
  readonly user?: UserSpace;
  readonly utf8?: boolean;
  readonly signal?: AbortSignal;
  /** After login: SASL EXTERNAL was available (AUTH=EXTERNAL stays advertised, as in Courier's imapd). */
  readonly external?: boolean;
  /** The worker pool's hook: this session waits on its client with nothing to do (IDLE). */
  readonly waiting?: (waiting: boolean) => void;
}

export type SessionEnd =
  | { readonly kind: 'login'; readonly tag: string; readonly account: unknown; readonly pending: Buffer }
  | { readonly kind: 'logout' | 'eof' | 'fatal' | 'timeout' | 'shutdown' };

export class ImapSession implements CommandContext {
  readonly io: ImapIo;
  readonly settings: ImapSessionSettings;
  readonly log: Logger;
  readonly counters = { headers: 0, body: 0 };
  tag = '*';
  uid = false;
  literals: unknown[] = [];
  state: SessionState;
  tls: boolean;
  login: LoginServices | undefined;
  private readonly deps: SessionDeps;
  private readonly enabledSet = new Set<string>();
  private granted: { account: unknown } | undefined;
  private carry: Promise<IdleWake> | undefined;
  private bad = 0;
  private stop: 'timeout' | 'shutdown' | undefined;

  constructor(io: ImapIo, deps: SessionDeps) {
    this.io = io;
    this.deps = deps;
    this.settings = deps.settings;
    this.log = deps.log;
    this.tls = deps.tls;
    this.login = deps.login;
    this.state = deps.user ? { kind: 'authenticated', user: deps.user } : { kind: 'not-authenticated' };
    if (deps.utf8) this.enabledSet.add('UTF8=ACCEPT');
  }

  get utf8(): boolean {
    return this.enabledSet.has('UTF8=ACCEPT');
  }
  get enabled(): ReadonlySet<string> {
    return this.enabledSet;
  }
  get stateKind(): StateKind {
    return this.state.kind;
  }

  enable(capability: string): boolean {
    const c = capability.toUpperCase();
    if (c !== 'UTF8=ACCEPT') return false;
    this.enabledSet.add(c);
    return true;
  }

  capabilities(): readonly string[] {
    const l = this.login;
    return capabilityList(this.settings, this.deps.implemented, {
      tls: this.tls,
      starttls: Boolean(l?.starttlsAvailable) && !this.tls,
      loginDisabled: Boolean(l?.tlsRequired) && !this.tls,
      authenticated: this.state.kind !== 'not-authenticated',
      external: this.deps.external ?? l?.external?.() !== undefined,
    });
  }

  untagged(text: string | Buffer): Promise<void> {
    if (typeof text === 'string') return this.io.write(`* ${text}\r\n`);
    return this.io.write(Buffer.concat([Buffer.from('* '), text, Buffer.from('\r\n')]));
  }
  write(data: string | Buffer): Promise<void> {
    return this.io.write(data);
  }
  continuation(text: string): Promise<void> {
    return this.io.write(`+ ${text}\r\n`);
  }

  async readLine(): Promise<Buffer | undefined> {
    this.io.parser.expectLine();
    const ev = await this.io.next();
    return ev?.type === 'line' ? ev.line : undefined;
  }

  async lineOr(wake: Promise<void>): Promise<IdleWake> {
    if (!this.carry) {
      this.io.parser.expectLine();
      this.carry = this.io
        .next()
        .then((ev) => (ev?.type === 'line' ? { kind: 'line', line: ev.line } : { kind: 'eof' }));
    }
    await this.io.flush();
    const r = await Promise.race([this.carry, wake.then((): IdleWake => ({ kind: 'signal' }))]);
    if (r.kind !== 'signal') this.carry = undefined;
    return r;
  }

  user(): UserSpace {
    if (this.state.kind === 'authenticated' || this.state.kind === 'selected') return this.state.user;
    throw new BadCommandError('not authenticated');
  }
  mailbox(): SelectedMailbox {
    if (this.state.kind === 'selected') return this.state.mailbox;
    throw new BadCommandError('no mailbox selected');
  }
  select(mailbox: SelectedMailbox): void {
    this.state = { kind: 'selected', user: this.user(), mailbox };
  }
  async deselect(): Promise<void> {
    if (this.state.kind !== 'selected') return;
    const mb = this.state.mailbox;
    this.state = { kind: 'authenticated', user: this.state.user };
    await mb.close().catch((err: unknown) => this.log.warn({ err }, 'closing the folder failed'));
  }
  waiting(waiting: boolean): void {
    this.deps.waiting?.(waiting);
  }
  grantLogin(account: unknown): void {
    this.granted = { account };
  }

  async startTls(): Promise<boolean> {
    if (!this.login) return false;
    const upgraded = await upgradeToTls(this.io, this.login, this.log);
    if (upgraded) this.tls = true;
    else this.stop = 'shutdown';
    return upgraded;
  }

  /** Run until LOGOUT, end of input, a fatal error, a login hand-off, timeout or shutdown. */
  async run(greeting: string | undefined): Promise<SessionEnd> {
    const idle = new Deadline(this.login ? 0 : this.settings.idleTimeoutMs, () => {
      this.stop = 'timeout';
      this.io.interrupt();
    });
    const onAbort = (): void => {
      this.stop = 'shutdown';
      this.io.interrupt();
    };
    this.deps.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (greeting !== undefined) await this.io.write(greeting);
      for (;;) {
        idle.reset();
        const ev = await this.io.next();
        idle.pause();
        if (ev === undefined) return await this.ended();
        let end: SessionEnd | undefined;
        if (ev.type === 'command') end = await this.dispatch(ev.command);
        else if (ev.type === 'literal') end = await this.onLiteral(ev);
        else if (ev.type === 'error') end = await this.onParseError(ev);
        if (end) return end;
        if (!this.io.writer.writable) return { kind: 'eof' };
      }
    } finally {
      idle.clear();
      this.deps.signal?.removeEventListener('abort', onAbort);
      await this.io.endGathering();
      await this.deselect();
    }
  }

  private async ended(): Promise<SessionEnd> {
    if (this.io.parser.dead) return { kind: 'fatal' };
    if (this.stop === 'timeout') {
      await this.untagged(TEXT.autologout);
      return { kind: 'timeout' };
    }
    if (this.stop === 'shutdown') {
      if (this.deps.signal?.aborted) await this.untagged(TEXT.byeSignal);
      return { kind: 'shutdown' };
    }
    return { kind: 'eof' };
  }

  private lookup(name: string | null, uid: boolean) {
    if (name === null) return undefined;
    return this.deps.registry.get(uid ? `UID ${name}` : name);
  }

  private async dispatch(cmd: ParsedCommand): Promise<SessionEnd | undefined> {
    this.tag = cmd.tag;
    this.uid = cmd.uid;
    const c = this.lookup(cmd.name, cmd.uid);
    let outcome: CommandOutcome = ERROR_REPLY;
    let violation = true;
    this.io.startGathering();
    if (c?.states.includes(this.state.kind)) {
      try {
        if (c.disabled?.(this.settings)) throw new RefusedError(TEXT.disabled);
        const input: unknown = c.parse(cmd.args, cmd);
        outcome = await c.run(this, input);
        violation = false;
      } catch (err) {
        const m = errorReply(err);
        if (m.internal) this.log.error({ err, cmd: cmd.name }, `${cmd.name} failed`);
        else this.log.debug({ err, cmd: cmd.name }, `${cmd.name} refused`);
        outcome = m.outcome;
        violation = m.violation;
      }
    } else {
      this.log.debug({ cmd: cmd.name, state: this.state.kind }, 'unknown command or wrong state');
    }
    this.literals = [];
    if (this.granted) {
      return { kind: 'login', tag: cmd.tag, account: this.granted.account, pending: this.io.detach() };
    }
    await this.io.write(taggedLine(cmd.tag, outcome));
    // Pipelined commands already here: their replies join this one (sent before input is awaited).
    const more = this.io.parser.hasInput || this.io.hasPendingInput();
    if (!more || outcome.end || outcome.afterReply || this.stop) await this.io.endGathering();
    if (await this.countViolation(violation)) return { kind: 'fatal' };
    if (outcome.afterReply) await outcome.afterReply();
    if (outcome.end) return { kind: 'logout' };
    if (this.stop) return this.ended();
    return undefined;
  }

  /** True when the limit was reached (BYE sent). */
  private async countViolation(violation: boolean): Promise<boolean> {
    if (!violation) {
      this.bad = 0;
      return false;
    }
    this.bad++;
    if (this.settings.maxBadCommands > 0 && this.bad >= this.settings.maxBadCommands) {
      await this.untagged(TEXT.tooMany);
      return true;
    }
    return false;
  }

  private async onLiteral(ev: LiteralEvent): Promise<SessionEnd | undefined> {
    const r = await dispatchLiteral(this, this.lookup(ev.name, ev.uid), ev);
    if (r === 'eof') return { kind: 'eof' };
    if (r === 'violation' && (await this.countViolation(true))) return { kind: 'fatal' };
    return undefined;
  }

  private async onParseError(ev: ErrorEvent): Promise<SessionEnd | undefined> {
    this.literals = [];
    const e = ev.error;
    this.log.debug({ err: e, tag: ev.tag }, 'command rejected by the parser');
    if (e.fatal) {
      await this.untagged(e.code === 'ATOM_TOO_LONG' ? TEXT.atomTooLong : TEXT.tooMany);
      return { kind: 'fatal' };
    }
    if (e.code === 'EMPTY_LINE') {
      await this.untagged(`NO ${TEXT.error}`);
    } else {
      if (e.code === 'QUOTED_TOO_LONG') await this.untagged(TEXT.commandTooLong);
      await this.io.write(taggedLine(ev.tag ?? '*', ERROR_REPLY));
    }
    return (await this.countViolation(true)) ? { kind: 'fatal' } : undefined;
  }
}
