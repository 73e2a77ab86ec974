/**
 * Worker threads (scan-worker.ts) for SEARCH, SORT and THREAD over many messages: they answer the
 * content keys of batches of messages, each on its own core, and read the first bytes of many files
 * at once (over a cold folder three asynchronous calls per file, open/read/close, cost several times
 * the reads themselves). Started when first needed, stopped when idle. Anything they cannot do (a
 * worker fails, a file moved) is left to the main thread's path, so answers never depend on them.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Tri } from './evaluate.js';
import type { Prefix } from './file-read.js';
import type { ScanOutcome } from './message-scanner.js';
import type { PrefixRequest, ScanRequest, WorkerReply } from './scan-worker.js';

/** Workers are stopped after this long without work (their memory goes back to the system). */
const IDLE_MS = 30_000;

interface Slot {
  readonly worker: Worker;
  busy: number;
}

type Waiter = { readonly slot: Slot; settle(r: WorkerReply | undefined): void };

export type ScanJob = Omit<ScanRequest, 'id' | 'kind'>;

export class ScanPool {
  readonly #size: number;
  readonly #idleMs: number;
  #slots: Slot[] = [];
  #failed = false;
  #next = 0;
  readonly #waiting = new Map<number, Waiter>();
  #idle: NodeJS.Timeout | undefined;

  constructor(options: { readonly threads?: number; readonly idleMs?: number } = {}) {
    this.#size = Math.max(1, options.threads ?? Math.min(4, availableParallelism()));
    this.#idleMs = options.idleMs ?? IDLE_MS;
  }

  /** Workers running now. */
  get running(): number {
    return this.#slots.length;
  }

  /** Batches to keep in flight: two per worker, so each has the next while a reply is handled. */
  get depth(): number {
    return 2 * this.#size;
  }

  #start(): boolean {
    if (this.#failed) return false;
    try {
      while (this.#slots.length < this.#size) {
        // A small young generation: the scans make much short-lived garbage, and a large one is
        // memory the process keeps (4 MiB: about a third of the default's, at no measurable cost).
        const worker = new Worker(new URL('./scan-worker.js', import.meta.url), {
          resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 64 },
        });
        worker.unref();
        const slot: Slot = { worker, busy: 0 };
        worker.on('message', (r: WorkerReply) => this.#reply(r));
        worker.on('error', () => this.#fail());
        worker.on('exit', () => this.#fail());
        this.#slots.push(slot);
      }
      return true;
    } catch {
      this.#fail();
      return false;
    }
  }

  #reply(r: WorkerReply): void {
    const w = this.#waiting.get(r.id);
    if (!w) return;
    this.#waiting.delete(r.id);
    w.slot.busy--;
    w.settle(r);
  }

  #fail(): void {
    this.#failed = true;
    void this.close();
  }

  /** Sends a request to the least busy worker; undefined reply = it was not done. */
  #send(request: (id: number) => ScanRequest | PrefixRequest): Promise<WorkerReply | undefined> {
    if (!this.#start()) return Promise.resolve(undefined);
    clearTimeout(this.#idle);
    this.#idle = undefined;
    const slot = this.#slots.reduce((a, b) => (b.busy < a.busy ? b : a));
    const id = this.#next++;
    slot.busy++;
    slot.worker.ref(); // keep the process alive while a batch is out
    const done = new Promise<WorkerReply | undefined>((settle) => {
      this.#waiting.set(id, { slot, settle });
      slot.worker.postMessage(request(id));
    });
    return done.finally(() => {
      if (slot.busy === 0) slot.worker.unref();
      if (this.#waiting.size > 0 || this.#slots.length === 0) return;
      this.#idle = setTimeout(() => void this.close(), this.#idleMs);
      this.#idle.unref();
    });
  }

  /** Outcomes per message (null: read it the ordinary way); undefined when no worker can take it. */
  async scan(job: ScanJob): Promise<(ScanOutcome | null)[] | undefined> {
    if (job.paths.length === 0) return [];
    const r = await this.#send((id) => ({ ...job, kind: 'scan', id }));
    return r?.kind === 'scan' ? [...r.out] : undefined;
  }

  /** Up to `max` first bytes of each file; undefined entries = read it the ordinary way. */
  async prefixes(
    paths: readonly string[],
    sizes: readonly number[],
    max: number,
  ): Promise<(Prefix | undefined)[]> {
    if (paths.length === 0) return [];
    const r = await this.#send((id) => ({ kind: 'prefix', id, paths, sizes, max }));
    if (r?.kind !== 'prefix') return [];
    return r.buffers.map((b, i) =>
      b === null ? undefined : { bytes: Buffer.from(b, 0, r.lengths[i]), eof: r.eof[i]! },
    );
  }

  /** Stops the workers; requests still out come back undone (the caller reads those files itself). */
  async close(): Promise<void> {
    clearTimeout(this.#idle);
    this.#idle = undefined;
    const slots = this.#slots;
    this.#slots = [];
    for (const [id, w] of this.#waiting) {
      this.#waiting.delete(id);
      w.settle(undefined);
    }
    await Promise.all(
      slots.map((s) => {
        s.worker.removeAllListeners('exit');
        return s.worker.terminate();
      }),
    );
  }
}

/** Messages per scan request. */
const SCAN_BATCH = 16;

/** How to scan one of many items. */
export interface ScanEach<T> {
  path(item: T): string;
  size(item: T): number;
  /** What is known already for the item (undefined entries: to be answered). */
  known(item: T): readonly Tri[];
}

/**
 * Scans `items` on the pool's workers (a few requests per worker in flight), calling `done` per
 * answered item; returns the items they could not answer (files that moved, a worker that failed).
 */
export async function scanOnWorkers<T>(
  pool: ScanPool,
  items: readonly T[],
  job: Omit<ScanJob, 'paths' | 'sizes' | 'known'> & ScanEach<T>,
  done: (item: T, outcome: ScanOutcome) => void,
): Promise<T[]> {
  const left: T[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const batch = items.slice(next, next + SCAN_BATCH);
      next += SCAN_BATCH;
      const out = await pool.scan({
        paths: batch.map(job.path),
        sizes: batch.map(job.size),
        keys: job.keys,
        known: batch.map(job.known),
        collect: job.collect,
      });
      batch.forEach((t, k) => {
        const o = out?.[k];
        if (o) done(t, o);
        else left.push(t);
      });
    }
  };
  await Promise.all(Array.from({ length: pool.depth }, lane));
  return left;
}
