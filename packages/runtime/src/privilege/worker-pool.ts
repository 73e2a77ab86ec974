import { type ChildProcess, fork } from 'node:child_process';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { RuntimeError } from '../errors.js';
import { handOff } from './hand-off.js';
import { SocketPairFactory } from './socket-pair.js';
import { SpareWorker } from './spare-worker.js';
import { pickWorker, type SpreadRule } from './spread.js';
import { stopChild } from './stop-child.js';
import type {
  AccountIds,
  ParentMessage,
  SessionModuleRef,
  WorkerLogSettings,
  WorkerMessage,
} from './types.js';

interface WorkerSession {
  readonly done: () => void;
  /** Waiting on its client with nothing to do (IMAP IDLE): not counted as load. */
  waiting: boolean;
}

interface Worker {
  readonly uid: number;
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly sessions: Map<number, WorkerSession>;
  idleTimer: NodeJS.Timeout | undefined;
  /** Event-loop utilisation of its last two reports, and when the last came. */
  elu: readonly [number, number];
  eluAt: number;
}

/**
 * Reports older than this say nothing. A worker reports only while it has sessions: one that was
 * busy a moment ago (its clients reconnecting, say) still counts as busy.
 */
const LOAD_STALE_MS = 5000;

/** How busy a worker is: its event loop over the last two report intervals (a spike is not load). */
function busyness(w: Worker, now: number): number {
  return now - w.eluAt > LOAD_STALE_MS ? 0 : Math.min(w.elu[0], w.elu[1]);
}

function activeSessions(w: Worker): number {
  let n = 0;
  for (const s of w.sessions.values()) if (!s.waiting) n++;
  return n;
}

export interface WorkerPoolOptions {
  readonly session: SessionModuleRef;
  readonly log: Logger;
  readonly logSettings: WorkerLogSettings;
  /** A worker with no session left exits after this long (ms; default 5 minutes). */
  readonly idleExitMs?: number;
  /** Override the worker entry (tests). */
  readonly workerEntry?: string;
  /**
   * Worker processes one uid may have (default 1). More let a busy account use more CPUs, at the cost
   * of a second copy of its folder indexes; on the 2-CPU bench machine 2 did not pay (mixed workload,
   * 50 clients: 777 vs 917 ops/s, 1.5 vs 1.1 ms of server CPU per command). `os.availableParallelism()`
   * is the natural upper bound.
   */
  readonly maxWorkersPerUid?: number;
  /**
   * A uid gets another worker (up to maxWorkersPerUid) when each of its workers is busy: this many
   * sessions at work (not waiting in IDLE; default 4) and an event loop busier than `busyElu`
   * (default 0.7). Busy accounts use more than one CPU; quiet and idling ones cost one process.
   */
  readonly spreadAt?: number;
  readonly busyElu?: number;
  /**
   * Keep one warmed-up worker ready for the next account without one (spare-worker.ts); the value is
   * handed to the session module's warm-up (`session.warmUpExport`). Absent: no spare.
   */
  readonly spare?: { readonly arg: unknown };
}

export interface HandOff {
  readonly ids: AccountIds;
  /** The client connection: a plain TCP socket is passed as a handle, anything else is relayed. */
  readonly stream: Socket;
  /** True when `stream` is a TLS socket (it stays here and is relayed over a socket pair). */
  readonly relay: boolean;
  readonly pending: Buffer;
  readonly init: unknown;
  readonly bindings: Record<string, unknown>;
}

/**
 * Worker processes per account uid. A worker starts as root, switches to the account's
 * groups/gid/uid before anything else, and then serves the sessions of that uid it is given. A uid
 * has one worker until its sessions keep that one busy (see `spreadAt`); then new sessions go to
 * the least busy of up to `maxWorkersPerUid`. Workers of one uid share nothing but the disk, like
 * two Courier imapd processes of one account.
 */
export class WorkerPool {
  private readonly opts: WorkerPoolOptions;
  private readonly workers = new Map<number, Worker[]>();
  private readonly pairs = new SocketPairFactory();
  private readonly rule: SpreadRule;
  private readonly spare: SpareWorker | undefined;
  private nextId = 1;

  constructor(options: WorkerPoolOptions) {
    this.opts = options;
    this.rule = {
      max: Math.max(1, options.maxWorkersPerUid ?? 1),
      spreadAt: Math.max(1, options.spreadAt ?? 4),
      busyElu: options.busyElu ?? 0.7,
    };
    this.spare = options.spare
      ? new SpareWorker({ spawn: () => this.spawn(), arg: options.spare.arg, log: options.log })
      : undefined;
  }

  /** Start the spare worker (when configured), so that the first login finds it ready. */
  prepareSpare(): void {
    this.spare?.prepare();
  }

  /** Worker processes running (all uids). */
  get workerCount(): number {
    let n = 0;
    for (const list of this.workers.values()) n += list.length;
    return n;
  }

  /** Worker processes running for one uid. */
  workersOf(uid: number): number {
    return this.workers.get(uid)?.length ?? 0;
  }

  /** Sessions of one uid at work (not waiting on their client), over all its workers. */
  activeSessionsOf(uid: number): number {
    let n = 0;
    for (const w of this.workers.get(uid) ?? []) n += activeSessions(w);
    return n;
  }

  /** Hand a logged-in connection to the account's worker; resolves when that session has ended. */
  async run(h: HandOff): Promise<void> {
    if (h.ids.uid === 0) throw new RuntimeError('PRIVILEGE', 'refusing to run a session as root (uid 0)');
    const worker = this.workerFor(h.ids);
    await worker.ready;
    const id = this.nextId++;
    const ended = new Promise<void>((resolve) => worker.sessions.set(id, { done: resolve, waiting: false }));
    if (worker.idleTimer) clearTimeout(worker.idleTimer);
    worker.idleTimer = undefined;
    const msg = (pending: Buffer): ParentMessage => ({
      type: 'session',
      id,
      init: h.init,
      pending,
      bindings: h.bindings,
    });
    await handOff({ child: worker.child, message: msg, pairs: this.pairs }, h.stream, h.relay, h.pending);
    await ended;
  }

  /** Ask every worker to end its sessions and exit. */
  async shutdown(graceMs = 5000): Promise<void> {
    const all = [...this.workers.values()].flat();
    await Promise.all([this.spare?.close(graceMs), ...all.map((w) => stopChild(w.child, graceMs))]);
    await this.pairs.close();
  }

  private workerFor(ids: AccountIds): Worker {
    const list = this.workers.get(ids.uid) ?? [];
    const now = Date.now();
    const pick = pickWorker(
      list.map((w) => ({ active: activeSessions(w), sessions: w.sessions.size, elu: busyness(w, now) })),
      this.rule,
    );
    if (pick !== 'new') return list[pick]!;
    const worker = this.startWorker(ids);
    this.workers.set(ids.uid, [...list, worker]);
    return worker;
  }

  private forget(worker: Worker): void {
    const list = this.workers.get(worker.uid);
    if (!list?.includes(worker)) return;
    const rest = list.filter((w) => w !== worker);
    if (rest.length > 0) this.workers.set(worker.uid, rest);
    else this.workers.delete(worker.uid);
  }

  private spawn(): ChildProcess {
    const entry = this.opts.workerEntry ?? fileURLToPath(new URL('./worker-main.js', import.meta.url));
    const { moduleUrl, exportName, warmUpExport } = this.opts.session;
    return fork(entry, [moduleUrl, exportName, ...(warmUpExport ? [warmUpExport] : [])], {
      // --no-memory-reducer: V8's memory reducer runs full collections as soon as a process has
      // been quiet for a few seconds. Each one throws away the code compiled for objects that are
      // garbage by then (a spare's warm-up, a finished session's commands), so the next session,
      // or the next command after a client's pause, runs unoptimised and compiles all over again
      // (measured: the first body download in a worker took 1.6-1.9 times the CPU of the second).
      // A worker collects on its own terms instead, after a minute of quiet (idle-collector.ts),
      // with the gc() that --expose-gc gives it.
      execArgv: [...process.execArgv, '--expose-gc', '--no-memory-reducer'],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
  }

  private startWorker(ids: AccountIds): Worker {
    const child = this.spare?.take() ?? this.spawn();
    const sessions = new Map<number, WorkerSession>();
    const ready = new Promise<void>((resolve, reject) => {
      child.on('message', (m: WorkerMessage) => {
        if (m.type === 'ready') resolve();
        else if (m.type === 'init-failed') reject(new RuntimeError('WORKER', m.reason));
        else if (m.type === 'load') {
          worker.elu = [worker.elu[1], m.elu];
          worker.eluAt = Date.now();
        } else if (m.type === 'waiting') {
          const s = sessions.get(m.id);
          if (s) s.waiting = m.waiting;
        } else if (m.type === 'ended') {
          sessions.get(m.id)?.done();
          sessions.delete(m.id);
          if (sessions.size === 0) this.armIdle(worker);
        }
      });
      child.once('exit', (code, signal) => {
        reject(new RuntimeError('WORKER', `worker for uid ${ids.uid} exited (${code ?? signal})`));
      });
    });
    ready.catch(() => {});
    const worker: Worker = {
      uid: ids.uid,
      child,
      ready,
      sessions,
      idleTimer: undefined,
      elu: [0, 0],
      eluAt: 0,
    };
    child.once('exit', (code, signal) => {
      this.forget(worker);
      if (worker.idleTimer) clearTimeout(worker.idleTimer);
      for (const s of sessions.values()) s.done();
      sessions.clear();
      if (code !== 0) this.opts.log.warn({ uid: ids.uid, code, signal }, 'session worker exited');
    });
    child.on('error', (err) => this.opts.log.error({ err, uid: ids.uid }, 'session worker error'));
    child.send({ type: 'init', ids, log: this.opts.logSettings } satisfies ParentMessage);
    return worker;
  }

  private armIdle(w: Worker): void {
    if (w.idleTimer) clearTimeout(w.idleTimer);
    // Five idle minutes by default: starting a worker costs ~0.4 s of the next login (Node start-up), an
    // idle one costs its memory; mail clients poll every few minutes.
    w.idleTimer = setTimeout(() => {
      if (w.sessions.size !== 0 || !w.child.connected) return;
      // Out of the list first: a login arriving now gets another worker, not one that is exiting.
      this.forget(w);
      w.child.send({ type: 'shutdown' } satisfies ParentMessage);
    }, this.opts.idleExitMs ?? 300_000);
    w.idleTimer.unref();
  }
}

/** The privilege model's one decision: a server running as root hands sessions to per-uid workers. */
export function workerPoolIfRoot(processUid: number, options: WorkerPoolOptions): WorkerPool | undefined {
  return processUid === 0 ? new WorkerPool(options) : undefined;
}
