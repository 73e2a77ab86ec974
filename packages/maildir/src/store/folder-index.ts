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
import { sizeFromName } from '../message/filename.js';
import { ensureKeywordDir, readKeywords } from '../state/keywords.js';
import { UIDDB_FILE } from '../state/uid-db.js';
import type { FolderChangeListener, FolderWatch } from '../types.js';
import { FolderCache } from './folder-cache.js';
import { FolderChanges, watchableFolder } from './folder-changes.js';
import { readSnapshot, writeSnapshot } from './folder-snapshot.js';
import { type FolderStamp, takeStamp } from './folder-stamp.js';
import { diskMatches, locateKey, NameSets } from './folder-verify.js';
import { KeywordStats } from './keyword-stats.js';
import { buildRecords, FlagInterner, indexOfUid, type MessageRecord, makeRecord } from './message-info.js';
import { measureAll } from './message-measure.js';
import type { RecentLookup, UidRun } from './recent-uids.js';
import { type ScanEntry, scanFolder } from './scan.js';
import { pruneUidDb } from './uiddb-prune.js';
import { patchView } from './view-diff.js';
import { WatchHub } from './watch.js';

/** No UID given out. */
const NO_UIDS: UidRun = { from: 0, to: 0 };

/**
 * The UIDs a scan gave out: its new messages come last, numbered one after the other (scanFolder
 * gives them nextUid, nextUid + 1, ...), so one run says it all.
 */
function freshRun(entries: readonly ScanEntry[]): UidRun {
  let i = entries.length;
  while (i > 0 && entries[i - 1]!.recent) i--;
  return i === entries.length ? NO_UIDS : { from: entries[i]!.uid, to: entries[entries.length - 1]!.uid + 1 };
}

export class FolderIndex {
  /** Current records, UID order (a new array after every change). */
  list: readonly MessageRecord[] = [];
  uidValidity = 0;
  uidNext = 1;
  /** Sessions that want every message measured after each scan ('eager' details). */
  eagerViews = 0;
  /** Records of `list` may be \Recent (the opening scan's, see viewFor). */
  private recentInList = false;
  /** Keys our EXPUNGEs removed since the last scan (still rows of courierimapuiddb). */
  private pendingPrune: string[] = [];
  readonly interner = new FlagInterner();
  private stamp: FolderStamp | undefined;
  /** Stamp taken before the last full scan (or of the snapshot opened): what diskMatches builds on. */
  private scannedStamp: FolderStamp | undefined;
  private readonly names = new NameSets();
  private queue: Promise<void> = Promise.resolve();
  private cache: FolderCache;
  /** UIDs the creating scan gave out, for the first session to attach (\Recent); undefined after. */
  private initialFresh: UidRun | undefined = NO_UIDS;
  /** Stamp of the snapshot this index was opened from (no need to write it again). */
  private snapshotParts: string | undefined;
  private readonly keywords = new KeywordStats();
  private readonly watchers: WatchHub;
  /** Changes on disk since the last full look, ours told apart (the cheap check before a scan). */
  readonly changes: FolderChanges;

  private constructor(
    private readonly ctx: MaildirContext,
    readonly name: string,
    readonly path: string,
    readonly readOnly: boolean,
    watchable: boolean,
  ) {
    this.cache = FolderCache.empty(ctx, path);
    this.watchers = new WatchHub(path);
    this.changes = FolderChanges.start(path, undefined, watchable);
  }

  static async open(
    ctx: MaildirContext,
    name: string,
    path: string,
    readOnly: boolean,
    eager: boolean,
  ): Promise<FolderIndex> {
    // Courier's SELECT makes the keyword dir anyway (on its first read); made before the watches
    // start, it is watched from the first scan on.
    const [watchable] = await Promise.all([
      watchableFolder(path),
      readOnly ? undefined : ensureKeywordDir(path),
    ]);
    const index = new FolderIndex(ctx, name, path, readOnly, watchable);
    try {
      if (eager) index.eagerViews++;
      if (!(await index.fromSnapshot())) {
        index.changes.markDirty(); // the scan below is the first look
        index.cache = await FolderCache.load(ctx, path);
        index.initialFresh = await index.scan(ctx, true);
      }
      if (eager) index.eagerViews--;
    } catch (err) {
      index.changes.close();
      throw err;
    }
    return index;
  }

  /** Opens from our snapshot when the folder is exactly as it was then (no scan needed). */
  private async fromSnapshot(): Promise<boolean> {
    if (!this.ctx.useCache) return false;
    this.changes.begin();
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
  takeInitialFresh(): UidRun | undefined {
    const fresh = this.initialFresh;
    this.initialFresh = undefined;
    return fresh;
  }

  /** Current name in cur/ of the message with this unique key (after someone else's rename). */
  readonly locate = (key: string): Promise<string | undefined> => locateKey(join(this.path, 'cur'), key);

  /**
   * Brings the list in step with the disk (call inside `serial`): nothing to do when the watches
   * saw no change but ours since the last look, else the stamp check, the listing check, or a full
   * scan. Returns the UIDs this scan gave out (\Recent for the calling session only; with
   * `markRecent`, the opening scan's records carry them, see viewFor).
   */
  async scan(ctx: MaildirContext, markRecent = false): Promise<UidRun> {
    try {
      // Nothing but our own changes since the last look: the list is already the disk's.
      if (await this.changes.unchanged()) {
        await this.prunePending(ctx);
        return NO_UIDS;
      }
      this.changes.begin();
      return await this.lookAtDisk(ctx, markRecent);
    } catch (err) {
      this.changes.markDirty();
      throw err;
    }
  }

  /** Our EXPUNGE removed these messages: the next scan's uiddb leaves them out (see prunePending). */
  pruneLater(keys: readonly string[]): void {
    for (const k of keys) this.pendingPrune.push(k);
  }

  /**
   * Where Courier's scan would rewrite courierimapuiddb without the messages expunged since (it
   * rewrites it whenever a message is gone), and ours does not run: the rows are dropped in place.
   */
  private async prunePending(ctx: MaildirContext): Promise<void> {
    if (this.pendingPrune.length === 0) return;
    const keys = this.pendingPrune;
    this.pendingPrune = [];
    await pruneUidDb(ctx, this.path, keys, () => this.changes.expect('root', UIDDB_FILE));
  }

  private async lookAtDisk(ctx: MaildirContext, markRecent: boolean): Promise<UidRun> {
    const before = await takeStamp(this.path);
    if (this.stamp?.safe && this.stamp.parts === before.parts) {
      await this.prunePending(ctx);
      return NO_UIDS;
    }
    // Only our own renames/unlinks since (or nothing at all): the list is already the disk's.
    if (!this.readOnly && (await diskMatches(this.path, this.list, this.names, this.scannedStamp, before))) {
      this.stamp = before;
      await this.prunePending(ctx);
      return NO_UIDS;
    }
    this.pendingPrune = []; // the full scan rewrites the uiddb without them
    const { scan, keywords } = await withMaildirLock(ctx, this.path, async () => {
      const scan = await scanFolder(ctx, this.path, {
        readOnly: this.readOnly,
        folderName: this.name,
        expect: (place, name) => this.changes.expect(place, name),
        missed: () => this.changes.markDirty(),
      });
      const keys = () => new Set(scan.entries.map((e) => e.key));
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
        if (old.length === 0) return undefined;
        const i = indexOfUid(old, uid);
        return i < 0 ? undefined : old[i];
      },
      keywords,
      cache: this.cache,
      interner: this.interner,
      lazy: this.eagerViews === 0,
      markRecent,
      fresh: old.length === 0,
      locate: this.locate,
    });
    // Nothing changed: keep the old array, so sessions holding it still share it.
    if (records.length !== old.length || records.some((r, i) => r !== old[i])) {
      this.publish(records);
      this.recentInList = markRecent && records.some((r) => r.recent);
    }
    this.uidValidity = scan.uidValidity;
    this.uidNext = scan.nextUid;
    await this.cache.flush(records, records.length);
    this.stamp = before;
    this.scannedStamp = before;
    return freshRun(scan.entries);
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
    this.keywords.learn(records);
  }

  /**
   * The list as a session with these \Recent UIDs sees it. The opening scan's records carry its
   * \Recent marks (its first session then shares the index's array instead of copying it); the
   * first session without them drops the marks from the index's list for good.
   */
  viewFor(recent: RecentLookup | undefined): readonly MessageRecord[] {
    if (this.recentInList && (!recent || recent.size === 0)) {
      const plain = this.list.map((r) => r.withRecent(false));
      this.keywords.sameKeywords(plain, this.list);
      this.list = plain;
      this.recentInList = false;
    }
    const view = patchView(this.list, recent);
    this.keywords.sameKeywords(view, this.list);
    return view;
  }

  /** Keyword spelling already in use in this folder. */
  canonicalKeyword(k: string): string {
    return this.keywords.canonical(k);
  }

  /** Keywords in use in `list` with their counts, in Courier's order (computed once per list). */
  keywordCounts(list: readonly MessageRecord[]): ReadonlyMap<string, number> {
    return this.keywords.counts(list);
  }

  watch(onChange: FolderChangeListener, pollMs: number): FolderWatch {
    return this.watchers.add(onChange, pollMs);
  }

  /** Last session gone: persist the cache and leave a snapshot for the next open. */
  async close(): Promise<void> {
    await this.serial(async () => {
      this.watchers.close();
      await this.cache.flush(this.list, this.list.length);
      await this.saveSnapshot(await takeStamp(this.path));
    });
  }

  /**
   * Dropped from memory (parked long enough, or never parked): the watches end. When nothing but
   * our own changes happened since the last look, the list is the disk's as of a stamp taken now,
   * so a snapshot is left even after a scan that changed the folder (a cold open).
   */
  async dispose(): Promise<void> {
    await this.serial(async () => {
      try {
        if (!this.ctx.useCache || !(await this.changes.unchanged())) return;
        const now = await takeStamp(this.path);
        if (!(await this.changes.unchanged())) return;
        this.stamp = now;
        await this.saveSnapshot(now);
      } finally {
        this.changes.close();
      }
    });
  }

  /**
   * Leaves a snapshot for the next open when our view is exactly the disk's (as of `now`), and old
   * enough. Messages not measured yet are written as such (NaN): the next open measures them when asked.
   */
  private async saveSnapshot(now: FolderStamp): Promise<void> {
    // With rows of our EXPUNGEs still in the uiddb, the next open scans (and drops them, as Courier's).
    if (!this.ctx.useCache || this.pendingPrune.length > 0) return;
    try {
      // Only a state Courier would also find: UIDs persisted in courierimapuiddb.
      if (!now.safe || !now.uiddb || now.parts !== this.stamp?.parts || now.parts === this.snapshotParts)
        return;
      await writeSnapshot(this.ctx, this.path, now, this.uidValidity, this.uidNext, this.list);
    } catch (err) {
      this.ctx.log.debug({ err, folder: this.name }, 'snapshot not written');
    }
  }
}
