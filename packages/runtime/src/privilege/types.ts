import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { LogFormat } from '../log/root-logger.js';

/** The system identity a session runs as. */
export interface AccountIds {
  readonly uid: number;
  readonly gid: number;
  /** System user name, for supplementary groups (initgroups); else only gid is used. */
  readonly user?: string;
  readonly home: string;
}

/** An authenticated account's ids (authlib's account, or anything shaped as it). */
export function accountIds(a: {
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
  readonly systemUser?: string;
}): AccountIds {
  return { uid: a.uid, gid: a.gid, home: a.home, ...(a.systemUser ? { user: a.systemUser } : {}) };
}

/** What a post-login session receives, the same in-process and in a worker. */
export interface SessionContext<I> {
  /** Protocol-specific, JSON/structured-clone-serializable session input. */
  readonly init: I;
  /** Bytes the client sent after the login command that the login phase already read. */
  readonly pending: Buffer;
  readonly log: Logger;
  /** Fires on SIGTERM: the session says goodbye and ends. */
  readonly signal: AbortSignal;
  /**
   * The session now waits on its client with nothing to do (`true`: IMAP IDLE) or is back at work
   * (`false`). A per-uid worker pool spreads busy sessions over processes, not waiting ones.
   */
  readonly waiting?: (waiting: boolean) => void;
}

/** The post-login session: one function, whatever process it runs in. */
export type SessionMain<I> = (stream: Duplex, ctx: SessionContext<I>) => Promise<void>;

/** Where a worker finds the session function: an importable module URL and an export name. */
export interface SessionModuleRef {
  readonly moduleUrl: string;
  readonly exportName: string;
  /** A `(arg, signal) => Promise<void>` export run by a spare worker before it serves anyone. */
  readonly warmUpExport?: string;
}

/** A session module's warm-up: runs its session code on scratch data until done or aborted. */
export type SessionWarmUp = (arg: unknown, signal: AbortSignal) => Promise<unknown>;

export interface WorkerLogSettings {
  readonly format: LogFormat;
  readonly level: string;
}

export type ParentMessage =
  | { readonly type: 'init'; readonly ids: AccountIds; readonly log: WorkerLogSettings }
  | {
      readonly type: 'session';
      readonly id: number;
      readonly init: unknown;
      readonly pending: Uint8Array;
      readonly bindings: Record<string, unknown>;
    }
  | { readonly type: 'shutdown' }
  /** Spare worker: warm up (as a process of nobody yet) with this argument. */
  | { readonly type: 'warm'; readonly arg: unknown };

export type WorkerMessage =
  | { readonly type: 'ready'; readonly uid: number; readonly gid: number }
  | { readonly type: 'init-failed'; readonly reason: string }
  | { readonly type: 'ended'; readonly id: number }
  | { readonly type: 'waiting'; readonly id: number; readonly waiting: boolean }
  /** A spare worker finished (or stopped) its warm-up. */
  | { readonly type: 'warmed'; readonly ms: number }
  /** Event-loop utilisation (0..1) over the last report interval. */
  | { readonly type: 'load'; readonly elu: number };
