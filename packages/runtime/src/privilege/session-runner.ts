import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { SessionRegistry } from '../connection/session-registry.js';
import type { AccountIds, SessionMain } from './types.js';
import type { WorkerPool } from './worker-pool.js';

export type LaunchResult =
  | { readonly kind: 'done' }
  | { readonly kind: 'refused'; readonly reason: 'root-account' | 'foreign-uid' };

export interface Launch<I> {
  readonly ids: AccountIds;
  /** The client stream after login (a net.Socket, or a TLSSocket after STLS / on the SSL port). */
  readonly stream: Duplex;
  readonly isTls: boolean;
  readonly pending: Buffer;
  readonly init: I;
  readonly log: Logger;
  /** Log bindings the worker puts on its child logger ({cid, proto, remote}). */
  readonly bindings: Record<string, unknown>;
}

/** How a connection's login phase ended: closed there (the stream still to close), or logged in. */
export type LoginPhaseEnd<I> =
  | { readonly kind: 'closed'; readonly stream: Duplex | undefined }
  | { readonly kind: 'launch'; readonly launch: Launch<I> };

export interface SessionRunnerOptions<I> {
  readonly main: SessionMain<I>;
  readonly registry: SessionRegistry;
  /** Present when the server runs as root: sessions go to per-uid workers. */
  readonly pool?: WorkerPool;
  /** The uid of this process (injectable for tests). */
  readonly processUid: number;
}

/**
 * Runs a logged-in session with the account's identity. As root: in the account's worker process
 * (never as root; uid 0 accounts are refused). As an ordinary user: in this process, for accounts
 * of this uid only. The session function is the same either way.
 */
export class SessionRunner<I> {
  private readonly opts: SessionRunnerOptions<I>;

  constructor(options: SessionRunnerOptions<I>) {
    this.opts = options;
  }

  /** Whether a login for this uid could be served (checked before replying +OK). */
  check(ids: AccountIds): LaunchResult {
    if (ids.uid === 0) return { kind: 'refused', reason: 'root-account' };
    if (!this.opts.pool && ids.uid !== this.opts.processUid)
      return { kind: 'refused', reason: 'foreign-uid' };
    return { kind: 'done' };
  }

  /**
   * launch(); when no session could be started (as root: no worker for the account, which cannot
   * take its uid or cannot be forked), nothing was sent for the login command yet: the error is
   * logged and `failure.reply` (the protocol's temporary failure) is written. False then: the
   * stream is still this process's to close.
   */
  async launchOrReply(
    l: Launch<I>,
    failure: { readonly user: string; readonly reply: string },
  ): Promise<boolean> {
    try {
      const r = await this.launch(l);
      if (r.kind === 'done') return true;
      // check() refused the account after all (the login phase asks it before its reply).
      l.log.error(`cannot start the session of user=${failure.user}: refused (${r.reason})`);
    } catch (err) {
      l.log.error({ err }, `cannot start the session of user=${failure.user}: ${(err as Error).message}`);
    }
    if (l.stream.writable) l.stream.write(failure.reply);
    return false;
  }

  async launch(l: Launch<I>): Promise<LaunchResult> {
    const verdict = this.check(l.ids);
    if (verdict.kind === 'refused') return verdict;
    const pool = this.opts.pool;
    if (pool) {
      // Shutdown of worker sessions goes through WorkerPool.shutdown (the worker says goodbye).
      await this.opts.registry.run(() =>
        pool.run({
          ids: l.ids,
          stream: l.stream as Socket,
          relay: l.isTls,
          pending: l.pending,
          init: l.init,
          bindings: l.bindings,
        }),
      );
      return { kind: 'done' };
    }
    await this.opts.registry.run((signal) =>
      this.opts.main(l.stream, { init: l.init, pending: l.pending, log: l.log, signal }),
    );
    return { kind: 'done' };
  }
}
