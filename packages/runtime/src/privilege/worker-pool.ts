import { type ChildProcess, fork } from 'node:child_process';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { RuntimeError } from '../errors.js';
import { stopReadingAndDrain } from '../io/stop-reading.js';
import { SocketPairFactory } from './socket-pair.js';
import type {
  AccountIds,
  ParentMessage,
  SessionModuleRef,
  WorkerLogSettings,
  WorkerMessage,
} from './types.js';

interface Worker {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly sessions: Map<number, () => void>;
  idleTimer: NodeJS.Timeout | undefined;
}

export interface WorkerPoolOptions {
  readonly session: SessionModuleRef;
  readonly log: Logger;
  readonly logSettings: WorkerLogSettings;
  /** A worker with no session left exits after this long (ms; default 5 minutes). */
  readonly idleExitMs?: number;
  /** Override the worker entry (tests). */
  readonly workerEntry?: string;
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
 * One worker process per account uid. A worker starts as root, switches to the account's
 * groups/gid/uid before anything else, and then serves every session of that uid it is given.
 */
export class WorkerPool {
  private readonly opts: WorkerPoolOptions;
  private readonly workers = new Map<number, Worker>();
  private readonly pairs = new SocketPairFactory();
  private nextId = 1;

  constructor(options: WorkerPoolOptions) {
    this.opts = options;
  }

  get workerCount(): number {
    return this.workers.size;
  }

  /** Hand a logged-in connection to the account's worker; resolves when that session has ended. */
  async run(h: HandOff): Promise<void> {
    if (h.ids.uid === 0) throw new RuntimeError('PRIVILEGE', 'refusing to run a session as root (uid 0)');
    const worker = this.workerFor(h.ids);
    await worker.ready;
    const id = this.nextId++;
    const ended = new Promise<void>((resolve) => worker.sessions.set(id, resolve));
    if (worker.idleTimer) clearTimeout(worker.idleTimer);
    worker.idleTimer = undefined;
    const msg = (pending: Buffer): ParentMessage => ({
      type: 'session',
      id,
      init: h.init,
      pending,
      bindings: h.bindings,
    });
    if (h.relay) {
      const [mine, theirs] = await this.pairs.pair();
      h.stream.pipe(mine);
      mine.pipe(h.stream);
      const closeBoth = (): void => {
        mine.destroy();
        h.stream.destroy();
      };
      mine.on('error', closeBoth);
      mine.on('close', closeBoth);
      h.stream.on('error', closeBoth);
      h.stream.on('close', closeBoth);
      await this.send(worker, msg(h.pending), theirs);
    } else {
      // Bytes that arrived while the worker was getting ready are taken out of this process's
      // socket buffer now, in the same tick as the handle is sent: nothing is lost on the way.
      const late = stopReadingAndDrain(h.stream);
      await this.send(worker, msg(late.length > 0 ? Buffer.concat([h.pending, late]) : h.pending), h.stream);
    }
    await ended;
  }

  /** Ask every worker to end its sessions and exit. */
  async shutdown(graceMs = 5000): Promise<void> {
    const all = [...this.workers.values()];
    await Promise.all(
      all.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.child.exitCode !== null || w.child.signalCode !== null) return resolve();
            const t = setTimeout(() => {
              w.child.kill('SIGKILL');
            }, graceMs);
            w.child.once('exit', () => {
              clearTimeout(t);
              resolve();
            });
            if (w.child.connected) w.child.send({ type: 'shutdown' } satisfies ParentMessage);
            else w.child.kill('SIGTERM');
          }),
      ),
    );
    await this.pairs.close();
  }

  private send(worker: Worker, msg: ParentMessage, handle: Socket): Promise<void> {
    return new Promise((resolve, reject) => {
      worker.child.send(msg, handle, (err) => (err ? reject(err) : resolve()));
    });
  }

  private workerFor(ids: AccountIds): Worker {
    const existing = this.workers.get(ids.uid);
    if (existing) return existing;
    const entry = this.opts.workerEntry ?? fileURLToPath(new URL('./worker-main.js', import.meta.url));
    const child = fork(entry, [this.opts.session.moduleUrl, this.opts.session.exportName], {
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const sessions = new Map<number, () => void>();
    const ready = new Promise<void>((resolve, reject) => {
      child.on('message', (m: WorkerMessage) => {
        if (m.type === 'ready') resolve();
        else if (m.type === 'init-failed') reject(new RuntimeError('WORKER', m.reason));
        else if (m.type === 'ended') {
          sessions.get(m.id)?.();
          sessions.delete(m.id);
          if (sessions.size === 0) this.armIdle(ids.uid);
        }
      });
      child.once('exit', (code, signal) => {
        reject(new RuntimeError('WORKER', `worker for uid ${ids.uid} exited (${code ?? signal})`));
      });
    });
    ready.catch(() => {});
    const worker: Worker = { child, ready, sessions, idleTimer: undefined };
    child.once('exit', (code, signal) => {
      if (this.workers.get(ids.uid) === worker) this.workers.delete(ids.uid);
      if (worker.idleTimer) clearTimeout(worker.idleTimer);
      for (const done of sessions.values()) done();
      sessions.clear();
      if (code !== 0) this.opts.log.warn({ uid: ids.uid, code, signal }, 'session worker exited');
    });
    child.on('error', (err) => this.opts.log.error({ err, uid: ids.uid }, 'session worker error'));
    child.send({ type: 'init', ids, log: this.opts.logSettings } satisfies ParentMessage);
    this.workers.set(ids.uid, worker);
    return worker;
  }

  private armIdle(uid: number): void {
    const w = this.workers.get(uid);
    if (!w) return;
    if (w.idleTimer) clearTimeout(w.idleTimer);
    // Five idle minutes by default: starting a worker costs ~0.4 s of the next login (Node start-up), an
    // idle one costs its memory; mail clients poll every few minutes.
    w.idleTimer = setTimeout(() => {
      if (w.sessions.size !== 0 || !w.child.connected) return;
      // Out of the map first: a login arriving now gets a fresh worker, not one that is exiting.
      if (this.workers.get(uid) === w) this.workers.delete(uid);
      w.child.send({ type: 'shutdown' } satisfies ParentMessage);
    }, this.opts.idleExitMs ?? 300_000);
    w.idleTimer.unref();
  }
}

/** The privilege model's one decision: a server running as root hands sessions to per-uid workers. */
export function workerPoolIfRoot(processUid: number, options: WorkerPoolOptions): WorkerPool | undefined {
  return processUid === 0 ? new WorkerPool(options) : undefined;
}
