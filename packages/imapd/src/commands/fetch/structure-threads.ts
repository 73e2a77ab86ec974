/**
 * The scan threads (structure-worker.ts) of one process, shared by every FETCH of every session
 * in it (and by a spare worker's warm-up, so that the first FETCH of a real session finds a thread
 * started and its code compiled). A thread is ended when no job has been in hand for `idleMs`
 * (short: a thread holds some 10 MB), so an idle process holds none; a spare process keeps its
 * warmed thread until it is claimed, and then for `graceMs` more, for the first FETCH of its
 * first sessions (keepUntil()). Threads are held only while they have jobs (unref'd otherwise):
 * a pool never keeps a process alive.
 *
 * One pool per process is the point (threads are a process resource, as libuv's pool): the
 * default pool is made on first use by defaultScanThreads(); tests make their own.
 */
import { Worker } from 'node:worker_threads';
import type { ScanDone, ScanJob } from './structure-worker.js';

/** Default time a thread stays up without work. */
export const SCAN_THREAD_IDLE_MS = 2_000;
/** Default time a thread kept by keepUntil() stays up without work once released. */
export const SCAN_THREAD_GRACE_MS = 10_000;
/**
 * A thread's young generation: a scan keeps little alive (one structure, one job's entries), and
 * a thread with 4 MB holds some 4 MB less than with V8's default, for the same CPU.
 */
const YOUNG_MB = 4;

export interface ScanThreadPoolOptions {
  /** Most threads at once (default 4). */
  readonly max?: number;
  /** A thread with no job in hand for this long is ended (default SCAN_THREAD_IDLE_MS). */
  readonly idleMs?: number;
  /** The same after keepUntil() ends, until the next job (default SCAN_THREAD_GRACE_MS). */
  readonly graceMs?: number;
}

/** One thread of the pool and the jobs it has in hand (of every FETCH). */
export interface ScanThread {
  readonly inHand: number;
}

interface Pending {
  resolve(done: ScanDone): void;
  reject(err: Error): void;
}

interface Thread extends ScanThread {
  readonly worker: Worker;
  inHand: number;
  readonly jobs: Map<number, Pending>;
  idle: NodeJS.Timeout | undefined;
}

export class ScanThreadPool {
  readonly #max: number;
  readonly #idleMs: number;
  readonly #graceMs: number;
  readonly #threads = new Set<Thread>();
  #nextId = 0;
  /** keepUntil() calls not ended yet: no thread is ended for idleness meanwhile. */
  #keeps = 0;

  constructor(options: ScanThreadPoolOptions = {}) {
    this.#max = options.max ?? 4;
    this.#idleMs = options.idleMs ?? SCAN_THREAD_IDLE_MS;
    this.#graceMs = options.graceMs ?? SCAN_THREAD_GRACE_MS;
  }

  /**
   * Keeps every thread (even idle) until `signal` fires; then an idle thread gets `graceMs` for
   * its next job before it is ended.
   */
  keepUntil(signal: AbortSignal): void {
    if (signal.aborted) return;
    this.#keeps++;
    for (const t of this.#threads) this.#stopTimer(t);
    signal.addEventListener(
      'abort',
      () => {
        this.#keeps--;
        for (const t of this.#threads) this.#rest(t, this.#graceMs);
      },
      { once: true },
    );
  }

  /** The threads running now. */
  get threads(): readonly ScanThread[] {
    return [...this.#threads];
  }

  get max(): number {
    return this.#max;
  }

  /** Starts one more thread (undefined at the limit, or when a thread cannot be started). */
  start(): ScanThread | undefined {
    if (this.#threads.size >= this.#max) return undefined;
    let worker: Worker;
    try {
      worker = new Worker(new URL('./structure-worker.js', import.meta.url), {
        resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB },
      });
    } catch {
      return undefined;
    }
    const t: Thread = { worker, inHand: 0, jobs: new Map(), idle: undefined };
    this.#threads.add(t);
    worker.on('message', (done: ScanDone) => {
      const p = t.jobs.get(done.id);
      if (p === undefined) return;
      t.jobs.delete(done.id);
      t.inHand--;
      this.#rest(t);
      p.resolve(done);
    });
    const gone = (err: Error): void => this.#drop(t, err);
    worker.on('error', gone);
    worker.on('exit', () => gone(new Error('scan thread exited')));
    this.#rest(t);
    return t;
  }

  /** Has `thread` scan `files`: their results, or a rejection when the thread fails or ends. */
  scan(thread: ScanThread, files: ScanJob['files']): Promise<ScanDone> {
    const t = thread as Thread;
    if (!this.#threads.has(t)) return Promise.reject(new Error('scan thread ended'));
    const id = this.#nextId++;
    return new Promise<ScanDone>((resolve, reject) => {
      t.jobs.set(id, { resolve, reject });
      t.inHand++;
      this.#busy(t);
      t.worker.postMessage({ id, files } satisfies ScanJob);
    });
  }

  /** Ends every thread now (jobs in hand are rejected). */
  async close(): Promise<void> {
    const all = [...this.#threads];
    for (const t of all) this.#drop(t, new Error('scan threads closed'));
    await Promise.all(all.map((t) => t.worker.terminate().catch(() => 0)));
  }

  #busy(t: Thread): void {
    this.#stopTimer(t);
    t.worker.ref();
  }

  #stopTimer(t: Thread): void {
    if (t.idle !== undefined) clearTimeout(t.idle);
    t.idle = undefined;
  }

  /** No job in hand: the thread no longer holds the process, and ends if it stays idle. */
  #rest(t: Thread, ms = this.#idleMs): void {
    if (t.inHand > 0) return;
    t.worker.unref();
    if (this.#keeps > 0) return;
    this.#stopTimer(t);
    t.idle = setTimeout(() => {
      this.#drop(t, new Error('scan thread idle'));
      void t.worker.terminate().catch(() => 0);
    }, ms).unref();
  }

  #drop(t: Thread, err: Error): void {
    if (!this.#threads.delete(t)) return;
    this.#stopTimer(t);
    t.inHand = 0;
    const jobs = [...t.jobs.values()];
    t.jobs.clear();
    for (const p of jobs) p.reject(err);
  }
}

/**
 * Makes the process's pool on first call and returns it after (module state on purpose: see the
 * file comment; it holds no session data).
 */
export const defaultScanThreads: () => ScanThreadPool = (() => {
  let pool: ScanThreadPool | undefined;
  return () => {
    pool ??= new ScanThreadPool();
    return pool;
  };
})();

/**
 * Warms scan threads up (a spare process's warm-up): `count` threads of `pool` (started as needed)
 * each scan `files` `passes` times, side by side, so that the compiled code of each is ready for the
 * first real FETCH (which uses threads already running whatever the load). Stops early when `signal`
 * fires; a failure only ends that thread's warm-up.
 */
export async function warmScanThreads(
  pool: ScanThreadPool,
  files: ScanJob['files'],
  passes: number,
  count: number,
  signal: AbortSignal,
): Promise<void> {
  if (signal.aborted) return;
  const threads = pool.threads.slice(0, count);
  while (threads.length < count) {
    const t = pool.start();
    if (t === undefined) break;
    threads.push(t);
  }
  const jobs: ScanJob['files'][] = [];
  for (let i = 0; i < files.length; i += 64) jobs.push(files.slice(i, i + 64));
  const warm = async (thread: ScanThread): Promise<void> => {
    try {
      for (let p = 0; p < passes; p++) {
        for (const job of jobs) {
          if (signal.aborted) return;
          await pool.scan(thread, job);
        }
      }
    } catch {
      // The thread ended (or the pool was closed): nothing to warm.
    }
  };
  await Promise.all(threads.map(warm));
}
