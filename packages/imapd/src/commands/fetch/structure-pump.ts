/**
 * Read-ahead for one FETCH over many messages: walks the messages in order, a window ahead of
 * the one being written, taking each entry from the persistent cache or else having a scan
 * thread (structure-worker.ts, of the process's pool: structure-threads.ts) read and scan the
 * file. Any failure just yields undefined for the message (the caller scans it itself).
 */
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Folder, MessageCacheReader, MessageInfo } from '@courier-ts/maildir';
import { decodeStructureEntry, type StructureEntry } from '../../message/structure-entry.js';
import { defaultScanThreads, type ScanThread, type ScanThreadPool } from './structure-threads.js';
import type { ScanDone, ScanJob } from './structure-worker.js';

/** Messages looked up ahead of the one being prepared. */
const WINDOW = 512;
/** Files per worker job, and jobs kept queued at each worker. */
const JOB_FILES = 64;
const IN_FLIGHT_PER_WORKER = 2;
/**
 * Scan threads per FETCH: one per core (at most 4), the second and later ones started only when
 * the ones running are busy and many messages are still to come; but none started beyond the
 * first on a saturated machine (1-minute load average at least the number of cores), where each
 * further thread would only take CPU from the others (a thread costs its start and the warm-up
 * of its compiled code). Threads already running (the pool's) are used whatever the load. Jobs
 * go to the least busy thread.
 */
const MAX_WORKERS = 4;
/** Messages still to come for another thread to be started. */
const SPREAD_AT = 1024;

/** Scan threads worth running now. */
function scanThreads(): number {
  const cores = availableParallelism();
  return (loadavg()[0] ?? 0) >= cores ? 1 : Math.max(1, Math.min(MAX_WORKERS, cores));
}

export interface Pumped {
  readonly entry: StructureEntry;
  /** Where it came from: the memo (in memory), the cache file, or a fresh scan. */
  readonly from: 'memo' | 'file' | 'scan';
  /** Freshly scanned (to be appended to the cache): the value and the file's size. */
  readonly fresh: { readonly value: Buffer; readonly size: number } | undefined;
}

/** Where the pump looks before scanning: entries in memory, then the cache file (opened on first use). */
export interface PumpSources {
  readonly memo: (m: MessageInfo) => StructureEntry | undefined;
  readonly reader: () => MessageCacheReader;
  /** Most scan threads (default: by cores and load, see scanThreads()). */
  readonly threads?: number;
  /** The threads (default: the process's pool). */
  readonly pool?: ScanThreadPool;
  /** Messages still to come for another thread to be started (default 1024). */
  readonly spreadAt?: number;
}

interface Deferred {
  readonly promise: Promise<Pumped | undefined>;
  resolve(v: Pumped | undefined): void;
}

function deferred(): Deferred {
  let resolve!: (v: Pumped | undefined) => void;
  const promise = new Promise<Pumped | undefined>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** One message's slot: made by whichever of take() and the walk comes first, dropped by take(). */
interface Slot {
  readonly d: Deferred;
  looked: boolean;
  taken: boolean;
}

export class StructurePump {
  /** The folder's cur/ directory. */
  readonly #cur: string;
  readonly #messages: readonly MessageInfo[];
  readonly #sources: PumpSources;
  /** By UID (MessageInfo.key is computed on each use). */
  readonly #slots = new Map<number, Slot>();
  readonly #index: ReadonlyMap<number, number>;
  readonly #pool: ScanThreadPool;
  /** Jobs sent and not answered yet. */
  #jobs = 0;
  /** Most threads used; most started (new threads) when the pool has fewer. */
  readonly #maxWorkers: number;
  readonly #maxStarted: number;
  readonly #spreadAt: number;
  #failed = false;
  #batch: Array<{ file: ScanJob['files'][number]; d: Deferred }> = [];
  /** Next message to look up; messages before `#limit` may be looked up now. */
  #next = 0;
  #limit = WINDOW;
  #running = false;
  #closed = false;

  constructor(folder: Folder, messages: readonly MessageInfo[], sources: PumpSources) {
    this.#cur = join(folder.path, 'cur');
    this.#messages = messages;
    this.#sources = sources;
    this.#pool = sources.pool ?? defaultScanThreads();
    this.#maxWorkers = Math.max(1, Math.min(MAX_WORKERS, sources.threads ?? this.#pool.max));
    this.#maxStarted = Math.max(1, Math.min(this.#maxWorkers, sources.threads ?? scanThreads()));
    this.#spreadAt = sources.spreadAt ?? SPREAD_AT;
    this.#index = new Map(messages.map((m, i) => [m.uid, i]));
  }

  #slot(uid: number): Slot {
    let slot = this.#slots.get(uid);
    if (slot === undefined) {
      slot = { d: deferred(), looked: false, taken: false };
      this.#slots.set(uid, slot);
    }
    return slot;
  }

  /** The entry for `msg`, or undefined (not among the messages, unreadable, or no worker). */
  take(msg: MessageInfo): Promise<Pumped | undefined> {
    const index = this.#index.get(msg.uid);
    if (index === undefined || this.#closed) return Promise.resolve(undefined);
    // Already walked and taken (the same message twice in one FETCH): not looked up again.
    if (index < this.#next && !this.#slots.has(msg.uid)) return Promise.resolve(undefined);
    this.#limit = Math.max(this.#limit, index + WINDOW);
    this.#pump();
    const slot = this.#slot(msg.uid);
    slot.taken = true;
    if (slot.looked) this.#slots.delete(msg.uid);
    return slot.d.promise;
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const slot of this.#slots.values()) slot.d.resolve(undefined);
    this.#slots.clear();
    this.#fail();
  }

  #pump(): void {
    if (this.#running || this.#closed) return;
    this.#running = true;
    // An unexpected error ends the read-ahead: every message still waiting gets undefined.
    void this.#run()
      .catch(() => this.close())
      .finally(() => {
        this.#running = false;
        if (!this.#closed && this.#next < Math.min(this.#messages.length, this.#limit)) this.#pump();
      });
  }

  async #run(): Promise<void> {
    while (!this.#closed && this.#next < this.#messages.length && this.#next < this.#limit) {
      const m = this.#messages[this.#next++]!;
      let slot = this.#slots.get(m.uid);
      // In memory and not asked for yet: the caller finds it there itself (no slot is kept).
      if (slot === undefined && this.#sources.memo(m) !== undefined) continue;
      slot ??= this.#slot(m.uid);
      if (slot.looked) continue;
      slot.looked = true;
      if (slot.taken) this.#slots.delete(m.uid);
      const d = slot.d;
      const held = this.#sources.memo(m);
      if (held !== undefined) {
        d.resolve({ entry: held, from: 'memo', fresh: undefined });
        continue;
      }
      const key = m.key;
      const reader = this.#sources.reader();
      const now = reader.tryGet(key, m.size);
      const value = now !== null ? now : await reader.get(key, m.size).catch(() => undefined);
      const entry = value === undefined ? undefined : decodeStructureEntry(value);
      if (entry !== undefined) d.resolve({ entry, from: 'file', fresh: undefined });
      else this.#queue(m, d);
    }
    // A part-filled job only when the worker would otherwise run dry, or nothing more is coming.
    if (this.#next >= this.#messages.length || this.#jobs < this.#inFlight()) this.#send();
  }

  #queue(m: MessageInfo, d: Deferred): void {
    if (this.#failed) {
      d.resolve(undefined);
      return;
    }
    // A maildir name holds no `/`: no join() (which normalises) per message.
    const path = `${this.#cur}/${m.filename}`;
    this.#batch.push({ file: { path, servedSize: m.crlfSize }, d });
    if (this.#batch.length >= JOB_FILES) this.#send();
  }

  /** Jobs kept queued: IN_FLIGHT_PER_WORKER per thread this FETCH may use. */
  #inFlight(): number {
    return IN_FLIGHT_PER_WORKER * Math.max(1, Math.min(this.#maxWorkers, this.#pool.threads.length));
  }

  #send(): void {
    if (this.#batch.length === 0) return;
    const batch = this.#batch;
    this.#batch = [];
    const t = this.#pickThread();
    if (t === undefined) {
      for (const b of batch) b.d.resolve(undefined);
      return;
    }
    const ds = batch.map((b) => b.d);
    this.#jobs++;
    this.#pool.scan(t, batch.map((b) => b.file) satisfies ScanJob['files']).then(
      (done) => {
        this.#jobs--;
        try {
          this.#done(ds, done);
        } catch {
          void this.close();
        }
      },
      () => {
        this.#jobs--;
        for (const d of ds) d.resolve(undefined);
        this.#fail();
      },
    );
  }

  /**
   * The least busy thread this FETCH may use, or a new one when all are busy and many messages
   * remain (or none is running).
   */
  #pickThread(): ScanThread | undefined {
    if (this.#failed) return undefined;
    const threads = this.#pool.threads.slice(0, this.#maxWorkers);
    let best: ScanThread | undefined;
    for (const t of threads) if (best === undefined || t.inHand < best.inHand) best = t;
    const more =
      threads.length < this.#maxStarted &&
      (best === undefined || (best.inHand > 0 && this.#messages.length - this.#next >= this.#spreadAt));
    if (!more) return best;
    // A thread that cannot be started ends the read-ahead when there is no other (#fail).
    const started = this.#pool.start() ?? best;
    if (started === undefined) this.#fail();
    return started;
  }

  #done(ds: readonly Deferred[], done: ScanDone): void {
    if (this.#closed) {
      for (const d of ds) d.resolve(undefined);
      return;
    }
    if (this.#jobs < this.#inFlight()) this.#send();
    const data = Buffer.from(done.data.buffer, done.data.byteOffset, done.data.byteLength);
    ds.forEach((d, i) => {
      const r = done.results[i];
      const value = r ? data.subarray(r[0], r[0] + r[1]) : undefined;
      const entry = value === undefined ? undefined : decodeStructureEntry(value);
      d.resolve(entry && r ? { entry, from: 'scan', fresh: { value: value!, size: r[2] } } : undefined);
    });
  }

  /** Stops using the threads (they are the pool's: not ended here); messages waiting get undefined. */
  #fail(): void {
    this.#failed = true;
    for (const b of this.#batch) b.d.resolve(undefined);
    this.#batch = [];
  }
}
