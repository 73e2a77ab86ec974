/**
 * Read-ahead for one FETCH over many messages: walks the messages in order, a window ahead of
 * the one being written, taking each entry from the persistent cache or else having a worker
 * thread (structure-worker.ts) read and scan the file. The worker lives for the FETCH only.
 * Any failure just yields undefined for the message (the caller scans it itself).
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Folder, MessageCacheReader, MessageInfo } from '@courier-ts/maildir';
import { decodeStructureEntry, type StructureEntry } from '../../message/structure-entry.js';
import type { ScanDone, ScanJob } from './structure-worker.js';

/** Messages looked up ahead of the one being prepared. */
const WINDOW = 256;
/** Files per worker job, and jobs kept queued at the worker. */
const JOB_FILES = 64;
const IN_FLIGHT = 2;
/**
 * Workers per FETCH (jobs go round-robin). One: a second one cost 40% more CPU on a 2-core
 * machine (each warms up its own JIT) for no gain in time under load.
 */
const WORKERS = 1;

export interface Pumped {
  readonly entry: StructureEntry;
  /** Freshly scanned (to be appended to the cache): the value and the file's size. */
  readonly fresh: { readonly value: Buffer; readonly size: number } | undefined;
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
  readonly #folder: Folder;
  readonly #messages: readonly MessageInfo[];
  readonly #reader: MessageCacheReader;
  /** By UID (MessageInfo.key is computed on each use). */
  readonly #slots = new Map<number, Slot>();
  readonly #index: ReadonlyMap<number, number>;
  readonly #jobs = new Map<number, Deferred[]>();
  readonly #workers: Worker[] = [];
  #failed = false;
  #nextJob = 0;
  #batch: Array<{ file: ScanJob['files'][number]; d: Deferred }> = [];
  /** Next message to look up; messages before `#limit` may be looked up now. */
  #next = 0;
  #limit = WINDOW;
  #running = false;
  #closed = false;

  constructor(folder: Folder, messages: readonly MessageInfo[], reader: MessageCacheReader) {
    this.#folder = folder;
    this.#messages = messages;
    this.#reader = reader;
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
      const slot = this.#slot(m.uid);
      if (slot.looked) continue;
      slot.looked = true;
      if (slot.taken) this.#slots.delete(m.uid);
      const d = slot.d;
      const key = m.key;
      const now = this.#reader.tryGet(key, m.size);
      const value = now !== null ? now : await this.#reader.get(key, m.size).catch(() => undefined);
      const entry = value === undefined ? undefined : decodeStructureEntry(value);
      if (entry !== undefined) d.resolve({ entry, fresh: undefined });
      else this.#queue(m, d);
    }
    // A part-filled job only when the worker would otherwise run dry, or nothing more is coming.
    if (this.#next >= this.#messages.length || this.#jobs.size < IN_FLIGHT) this.#send();
  }

  #queue(m: MessageInfo, d: Deferred): void {
    if (this.#failed) {
      d.resolve(undefined);
      return;
    }
    const path = join(this.#folder.path, 'cur', m.filename);
    this.#batch.push({ file: { path, servedSize: m.crlfSize }, d });
    if (this.#batch.length >= JOB_FILES) this.#send();
  }

  #send(): void {
    if (this.#batch.length === 0) return;
    const batch = this.#batch;
    this.#batch = [];
    const w = this.#startWorker();
    if (w === undefined) {
      for (const b of batch) b.d.resolve(undefined);
      return;
    }
    const id = this.#nextJob++;
    this.#jobs.set(
      id,
      batch.map((b) => b.d),
    );
    w.postMessage({ id, files: batch.map((b) => b.file) } satisfies ScanJob);
  }

  #startWorker(): Worker | undefined {
    if (this.#failed) return undefined;
    if (this.#workers.length >= WORKERS) return this.#workers[this.#nextJob % WORKERS];
    try {
      const w = new Worker(new URL('./structure-worker.js', import.meta.url));
      w.on('message', (done: ScanDone) => {
        try {
          this.#done(done);
        } catch {
          void this.close();
        }
      });
      w.on('error', () => this.#fail());
      w.on('exit', () => this.#fail());
      this.#workers.push(w);
      return w;
    } catch {
      this.#fail();
      return undefined;
    }
  }

  #done(done: ScanDone): void {
    const ds = this.#jobs.get(done.id);
    if (ds === undefined) return;
    this.#jobs.delete(done.id);
    if (this.#jobs.size < IN_FLIGHT) this.#send();
    const data = Buffer.from(done.data.buffer, done.data.byteOffset, done.data.byteLength);
    ds.forEach((d, i) => {
      const r = done.results[i];
      const value = r ? data.subarray(r[0], r[0] + r[1]) : undefined;
      const entry = value === undefined ? undefined : decodeStructureEntry(value);
      d.resolve(entry && r ? { entry, fresh: { value: value!, size: r[2] } } : undefined);
    });
  }

  #fail(): void {
    this.#failed = true;
    const workers = this.#workers.splice(0);
    for (const ds of this.#jobs.values()) for (const d of ds) d.resolve(undefined);
    this.#jobs.clear();
    for (const b of this.#batch) b.d.resolve(undefined);
    this.#batch = [];
    for (const w of workers) void w.terminate().catch(() => {});
  }
}
