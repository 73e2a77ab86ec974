/** Command descriptors (`{ name, states, flags, parse, run } satisfies ImapCommand`) and what they may use. */
import type { Socket } from 'node:net';
import type { LoginCredentials } from '@courier-ts/authlib';
import type { TlsResult } from '@courier-ts/runtime';
import type { Logger } from 'pino';
import type { LiteralEvent } from '../protocol/parser-events.js';
import type { ImapToken, ParsedCommand } from '../protocol/tokens.js';
import type { ImapSessionSettings } from '../settings.js';
import type { SelectedMailbox } from './selected.js';
import type { SessionState, StateKind, UserSpace } from './state.js';

/** The tagged completion of a command. */
export interface CommandOutcome {
  readonly status: 'OK' | 'NO' | 'BAD';
  readonly text: string;
  /** Response code without brackets (`READ-WRITE`, `APPENDUID 1 2`). */
  readonly code?: string;
  /** Close the session after the tagged reply (LOGOUT). */
  readonly end?: boolean;
  /** Runs once the tagged reply is out (STARTTLS handshake). */
  readonly afterReply?: () => Promise<void>;
}

export function ok(text: string, code?: string): CommandOutcome {
  return code === undefined ? { status: 'OK', text } : { status: 'OK', text, code };
}

export function no(text: string, code?: string): CommandOutcome {
  return code === undefined ? { status: 'NO', text } : { status: 'NO', text, code };
}

/** What a verified login carries to the post-login session (opaque to the session engine). */
export type LoginVerdict =
  | { readonly kind: 'ok'; readonly account: unknown }
  | { readonly kind: 'rejected' }
  | { readonly kind: 'tempfail' };

/** Pre-login services (network mode only): credential checks and the TLS upgrade. */
export interface LoginServices {
  readonly tlsRequired: boolean;
  /** STARTTLS can be offered now (certificate present, IMAP_STARTTLS, not under TLS yet). */
  readonly starttlsAvailable: boolean;
  /** Check credentials; logs Courier's LOGIN FAILED line and waits the failure delay on rejection. */
  verify(creds: LoginCredentials, logWho: { user: string } | { method: string }): Promise<LoginVerdict>;
  /** SASL EXTERNAL: the login id of the verified TLS client certificate (TLS_EXTERNAL), if any. */
  external?(): string | undefined;
  /** A SASL exchange that failed before any lookup: Courier's LOGIN FAILED line and failure delay. */
  refuse?(logWho: { method: string }): Promise<void>;
  /** Handshake on the raw socket (the go-ahead has been flushed). */
  upgrade(socket: Socket): Promise<TlsResult>;
}

/** A streamed literal (APPEND): the command decides before `+ OK` whether it takes it. */
export type LiteralPlan =
  | { readonly kind: 'reject'; readonly outcome: CommandOutcome }
  | { readonly kind: 'stream'; consume(body: AsyncIterable<Buffer>): Promise<unknown> };

export type IdleWake =
  | { readonly kind: 'line'; readonly line: Buffer }
  | { readonly kind: 'signal' }
  | { readonly kind: 'eof' };

/** What a running command sees of its session. */
export interface CommandContext {
  readonly tag: string;
  readonly uid: boolean;
  readonly state: SessionState;
  readonly settings: ImapSessionSettings;
  readonly log: Logger;
  readonly tls: boolean;
  /** ENABLE UTF8=ACCEPT is in force. */
  readonly utf8: boolean;
  readonly enabled: ReadonlySet<string>;
  /** Results of this command's streamed literals, in order (APPEND). */
  readonly literals: readonly unknown[];
  /** Pre-login services; undefined once logged in (and in preauth mode). */
  readonly login: LoginServices | undefined;
  /** Fetch accounting for the LOGOUT line. */
  readonly counters: { headers: number; body: number };
  enable(capability: string): boolean;
  capabilities(): readonly string[];
  /** `* text` */
  untagged(text: string | Buffer): Promise<void>;
  /** Raw bytes (FETCH literals). */
  write(data: string | Buffer): Promise<void>;
  /** `+ text` */
  continuation(text: string): Promise<void>;
  /** The next raw line from the client (SASL responses); undefined at end of input. */
  readLine(): Promise<Buffer | undefined>;
  /** IDLE: a raw line, or `signal` when `wake` settles first. */
  lineOr(wake: Promise<void>): Promise<IdleWake>;
  user(): UserSpace;
  mailbox(): SelectedMailbox;
  select(mailbox: SelectedMailbox): void;
  deselect(): Promise<void>;
  grantLogin(account: unknown): void;
  /** STARTTLS after its tagged OK: discard pipelined plaintext, handshake; false on failure. */
  startTls(): Promise<boolean>;
  /** IDLE: the session waits on its client (`true`) or works again (`false`); tells the worker pool. */
  waiting?(waiting: boolean): void;
}

export interface CommandFlags {
  /** Uses sequence numbers: untagged EXPUNGE must not be sent while it runs (RFC 3501 7.4.1). */
  readonly usesSequence?: boolean;
  /** May announce new state (EXPUNGE/EXISTS) itself: NOOP, CHECK, IDLE, EXPUNGE. */
  readonly reportsChanges?: boolean;
}

export interface ImapCommand<I> {
  readonly name: string;
  /** Also (or only) valid after `UID`. */
  readonly uid?: 'allowed' | 'only';
  readonly states: readonly StateKind[];
  readonly flags?: CommandFlags;
  /** Capabilities this command adds to CAPABILITY (MOVE, UNSELECT, ID ...). */
  readonly capabilities?: readonly string[];
  /**
   * Switched off by the administrator (IMAP_DISABLETHREADSORT): once the state is right, the
   * command is refused with `NO This command is disabled ...` before its arguments are read.
   */
  readonly disabled?: (settings: ImapSessionSettings) => boolean;
  /** Arguments -> typed input, before anything touches storage (throws protocol/imapd errors). */
  readonly parse: (args: readonly ImapToken[], command: ParsedCommand) => I;
  readonly run: (ctx: CommandContext, input: I) => Promise<CommandOutcome>;
  /** A top-level literal of this command arrived (APPEND); called before `+ OK`. */
  readonly literal?: (ctx: CommandContext, event: LiteralEvent) => Promise<LiteralPlan>;
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds commands of every input type
export type AnyImapCommand = ImapCommand<any>;

/** The readonly registry the server hands to the session: `NAME` and `UID NAME` keys. */
export type CommandRegistry = ReadonlyMap<string, AnyImapCommand>;

export function commandRegistry(commands: readonly AnyImapCommand[]): CommandRegistry {
  const m = new Map<string, AnyImapCommand>();
  for (const c of commands) {
    if (c.uid !== 'only') m.set(c.name, c);
    if (c.uid !== undefined) m.set(`UID ${c.name}`, c);
  }
  return m;
}
