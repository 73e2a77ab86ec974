/**
 * The in-memory index of one folder (message records in UID order, UIDVALIDITY/next UID, our
 * cache, the watchers), shared by every session of this process that has the folder open in the
 * same mode (see FolderRegistry). Sessions keep only their own view (MaildirFolder): the list they
 * last reported and their \Recent set. The published `list` is never mutated: each change makes a
 * new array, so views holding an older one still see exactly what they reported.
 * State-changing work (scan, measure, flags, expunge) runs one at a time through `serial`.
 */
import { join } from 'node:path';
import { NoSuchFolderError } from '../errors.js';
import type { MaildirContext } from '../fs/context.js';
import { withMaildirLock } from '../fs/lock.js';
import { keyOf, sizeFromName } from '../message/filename.js';
import { compareKeywordsForList } from '../state/keyword-order.js';
import { readKeywords } from '../state/keywords.js';
import type { FolderChangeListener, FolderWatch } from '../types.js';
import { FolderCache } from './folder-cache.js';
import { readSnapshot, writeSnapshot } from './folder-snapshot.js';
import { type FolderStamp, takeStamp } from './folder-stamp.js';
import { diskMatches, locateKey, NameSets } from './folder-verify.js';
import { buildRecords, FlagInterner, indexOfUid, type MessageRecord, makeRecord } from './message-info.js';
import { measureAll } from './message-measure.js';
import { scanFolder } from './scan.js';
import { WatchHub } from './watch.js';

const NO_UIDS: readonly number[] = [];

export class FolderIndex {
  /** Current records, UID order (a new array after every change). */
  list: readonly MessageRecord[] = [];
  uidValidity = 0;
  uidNext = 1;
  /** Sessions that want every message measured after each scan ('eager' details). */
  eagerViews = 0;
  readonly interner = new FlagInterner();
  private stamp: FolderStamp | undefined;
  /** Stamp taken before the last full scan (or of the snapshot opened): what diskMatches builds on. */
  private scannedStamp: FolderStamp | undefined;
  private readonly names = new NameSets();
  private queue: Promise<void> = Promise.resolve();
  private cache: FolderCache;
  /** UIDs the creating scan gave out, for the first session to attach (\Recent); undefined after. */
  private initialFresh: readonly number[] | undefined = NO_UIDS;
  /** Stamp of the snapshot this index was opened from (no need to write it again). */
  private snapshotParts: string | undefined;
  /** First spelling of each keyword in use (keywords are case-insensitive). */
  private spellings = new Map<string, string>();
  private readonly countsByList = new WeakMap<readonly MessageRecord[], ReadonlyMap<string, number>>();
  private readonly watchers: WatchHub;

  private constructor(
    private readonly ctx: MaildirContext,
    readonly name: string,
    readonly path: string,
    readonly readOnly: boolean,
  ) {
    this.cache = FolderCache.empty(ctx, path);
    this.watchers = new WatchHub(path);
  }

  static async open(
    ctx: MaildirContext,
    name: string,
    path: string,
    readOnly: boolean,
    eager: boolean,
  ): Promise<FolderIndex> {
    const index = new FolderIndex(ctx, name, path, readOnly);
    if (eager) index.eagerViews++;
    if (!(await index.fromSnapshot())) {
      index.cache = await FolderCache.load(ctx, path);
      index.initialFresh = await index.scan(ctx);
    }
    if (eager) index.eagerViews--;
    return index;
  }

  /** Opens from our snapshot when the folder is exactly as it was then (no scan needed). */
  private async fromSnapshot(): Promise<boolean> {
    if (!this.ctx.useCache) return false;
    const stamp = await takeStamp(this.path);
    const snap = await readSnapshot(this.path, stamp, (r) =>
      makeRecord(
        this.interner,
        r.uid,
        r.filename,
        { size: r.size, lfs: r.lfs, mtimeMs: r.mtimeMs },
        r.keywords,
        false,
      ),
    );
    if (!snap) return false;
    const records = snap.rows;
    // Messages not measured when the snapshot was taken may be in our cache by now.
    if (records.some((r) => !r.measured)) {
      this.cache = await FolderCache.load(this.ctx, this.path);
      for (const [i, r] of records.entries()) {
        if (r.measured) continue;
        const key = r.key;
        const hit = this.cache.get(key);
        const hint = sizeFromName(key);
        if (hit && (hint === undefined || hint === hit.size)) records[i] = r.withMeta(hit);
      }
      this.cache.dropLoaded();
    }
    this.publish(records);
    this.uidValidity = snap.uidValidity;
    this.uidNext = snap.nextUid;
    this.stamp = stamp;
    this.scannedStamp = stamp;
    this.snapshotParts = stamp.parts;
    return true;
  }

  /** Runs state-changing work one at a time for every session sharing this folder. */
  serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** The record of a UID in the current list. */
  find(uid: number): MessageRecord | undefined {
    const i = indexOfUid(this.list, uid);
    return i < 0 ? undefined : this.list[i];
  }

  /**
   * For the first session to attach: the UIDs the opening scan gave out (its \Recent messages; the
   * index is as fresh as a scan now would make it). undefined for every later session.
   */
  takeInitialFresh(): readonly number[] | undefined {
    const fresh = this.initialFresh;
    this.initialFresh = undefined;
    return fresh;
  }

  /** Current name in cur/ of the message with this unique key (after someone else's rename). */
  readonly locate = (key: string): Promise<string | undefined> => locateKey(join(this.path, 'cur'), key);

  /**
   * Brings the list in step with the disk (call inside `serial`). Returns the UIDs this scan
   * gave out (\Recent for the calling session only).
   */
  async scan(ctx: MaildirContext): Promise<readonly number[]> {
    const before = await takeStamp(this.path);
    if (this.stamp?.safe && this.stamp.parts === before.parts) return NO_UIDS;
    // Only our own renames/unlinks since (or nothing at all): the list is already the disk's.
    if (!this.readOnly && (await diskMatches(this.path, this.list, this.names, this.scannedStamp, before))) {
      this.stamp = before;
      return NO_UIDS;
    }
    const { scan, keywords } = await withMaildirLock(ctx, this.path, async () => {
      const scan = await scanFolder(ctx, this.path, { readOnly: this.readOnly, folderName: this.name });
      const keys = new Set(scan.entries.map((e) => keyOf(e.filename)));
      const keywords = await readKeywords(ctx, this.path, keys, { write: true });
      return { scan, keywords };
    }).catch((err: unknown) => {
      // The folder was deleted or renamed by another session.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        throw new NoSuchFolderError(this.name, { cause: err });
      throw err;
    });
    const old = this.list;
    const records = await buildRecords({
      curDir: join(this.path, 'cur'),
      entries: scan.entries,
      previous: (uid) => {
        const i = indexOfUid(old, uid);
        return i < 0 ? undefined : old[i];
      },
      keywords,
      cache: this.cache,
      interner: this.interner,
      lazy: this.eagerViews === 0,
      locate: this.locate,
    });
    // Nothing changed: keep the old array, so sessions holding it still share it.
    if (records.length !== old.length || records.some((r, i) => r !== old[i])) this.publish(records);
    this.uidValidity = scan.uidValidity;
    this.uidNext = scan.nextUid;
    await this.cache.flush(records, records.length);
    this.stamp = before;
    this.scannedStamp = before;
    const fresh: number[] = [];
    for (const e of scan.entries) if (e.recent) fresh.push(e.uid);
    return fresh;
  }

  /** Measures these UIDs' messages (call inside `serial`); the list gets the new records. */
  async measure(uids: readonly number[]): Promise<void> {
    const todo = uids.map((u) => this.find(u)).filter((r): r is MessageRecord => !!r && !r.measured);
    if (todo.length === 0) return;
    const metas = await measureAll(todo.map((r) => join(this.path, 'cur', r.filename)));
    const updated: MessageRecord[] = [];
    todo.forEach((r, i) => {
      const meta = metas[i];
      if (!meta) return; // renamed or gone: the next sync sorts it out
      this.cache.set(r.key, meta);
      updated.push(r.withMeta(meta));
    });
    this.update(updated);
    await this.cache.flush(this.list, this.list.length);
  }

  /** Measures every unmeasured message (an 'eager' session attached). */
  measureAllUnmeasured(): Promise<void> {
    return this.measure(this.list.filter((r) => !r.measured).map((r) => r.uid));
  }

  /** Replaces these records (same UIDs) in a new list. */
  update(records: readonly MessageRecord[]): void {
    if (records.length === 0) return;
    const next = [...this.list];
    for (const r of records) {
      const i = indexOfUid(next, r.uid);
      if (i >= 0) next[i] = r;
    }
    this.publish(next);
  }

  /** Drops these UIDs in a new list. */
  remove(uids: ReadonlySet<number>): void {
    if (uids.size === 0) return;
    this.publish(this.list.filter((r) => !uids.has(r.uid)));
  }

  private publish(records: readonly MessageRecord[]): void {
    this.list = records;
    const spellings = new Map<string, string>();
    for (const r of records) {
      if (r.keywords.size === 0) continue;
      for (const k of r.keywords) {
        const lk = k.toLowerCase();
        if (!spellings.has(lk)) spellings.set(lk, this.spellings.get(lk) ?? k);
      }
    }
    this.spellings = spellings;
  }

  /** Keyword spelling already in use in this folder. */
  canonicalKeyword(k: string): string {
    return this.spellings.get(k.toLowerCase()) ?? k;
  }

  /** Keywords in use in `list` with their counts, in Courier's order (computed once per list). */
  keywordCounts(list: readonly MessageRecord[]): ReadonlyMap<string, number> {
    let counts = this.countsByList.get(list);
    if (!counts) {
      const byLower = new Map<string, { name: string; count: number }>();
      for (const r of list) {
        if (r.keywords.size === 0) continue;
        for (const k of r.keywords) {
          const lk = k.toLowerCase();
          const c = byLower.get(lk);
          if (c) c.count++;
          else byLower.set(lk, { name: this.spellings.get(lk) ?? k, count: 1 });
        }
      }
      const all = [...byLower.values()].sort((a, b) => compareKeywordsForList(a.name, b.name));
      counts = new Map(all.map((c) => [c.name, c.count]));
      this.countsByList.set(list, counts);
    }
    return counts;
  }

  watch(onChange: FolderChangeListener, pollMs: number): FolderWatch {
    return this.watchers.add(onChange, pollMs);
  }

  /** Last session gone: persist the cache and leave a snapshot for the next open. */
  async close(): Promise<void> {
    await this.serial(async () => {
      this.watchers.close();
      await this.cache.flush(this.list, this.list.length);
      await this.saveSnapshot();
    });
  }

  /**
   * Leaves a snapshot for the next open when our view is exactly the disk's, and old enough.
   * Messages not measured yet are written as such (NaN): the next open measures them when asked.
   */
  private async saveSnapshot(): Promise<void> {
    if (!this.ctx.useCache) return;
    try {
      const now = await takeStamp(this.path);
      // Only a state Courier would also find: UIDs persisted in courierimapuiddb.
      if (!now.safe || !now.uiddb || now.parts !== this.stamp?.parts || now.parts === this.snapshotParts)
        return;
      await writeSnapshot(this.ctx, this.path, now, this.uidValidity, this.uidNext, this.list);
    } catch (err) {
      this.ctx.log.debug({ err, folder: this.name }, 'snapshot not written');
    }
  }
}
