/**
 * The in-memory index of one folder (message records in UID order, UIDVALIDITY/next UID, our
 * cache, the watchers), shared by every session of this process that has the folder open in the
 * same mode (see FolderRegistry). Sessions keep only their own view (MaildirFolder): the list they
 * last reported and their \Recent set. The published `list` is never mutated: each change makes a
 * new array, so views holding an older one still see exactly what they reported.
 * State-changing work (scan, measure, flags, expunge) runs one at a time through `serial`.
 */
import { join } from 'node:path';
import type { MaildirContext } from '../fs/context.js';
import { ensureKeywordDir } from '../state/keywords.js';
import type { FolderChangeListener, FolderWatch } from '../types.js';
import { FolderCache } from './folder-cache.js';
import { FolderChanges, watchableFolder } from './folder-changes.js';
import { FolderLook } from './folder-look.js';
import { NO_UIDS } from './folder-rescan.js';
import { snapshotRecords } from './folder-snapshot.js';
import { type FolderStamp, takeStamp } from './folder-stamp.js';
import { locateKey } from './folder-verify.js';
import type { IndexStamps } from './index-stamps.js';
import { KeywordStats } from './keyword-stats.js';
import { FlagInterner, indexOfUid, type MessageRecord } from './message-info.js';
import { measureAll } from './message-measure.js';
import type { RecentLookup, UidRun } from './recent-uids.js';
import { patchView } from './view-diff.js';
import { WatchHub } from './watch.js';

export class FolderIndex {
  /** Current records, UID order (a new array after every change). */
  list: readonly MessageRecord[] = [];
  uidValidity = 0;
  uidNext = 1;
  /** Sessions that want every message measured after each scan ('eager' details). */
  eagerViews = 0;
  /** Records of `list` may be \Recent (the opening scan's, see viewFor). */
  private recentInList = false;
  readonly interner = new FlagInterner();
  private queue: Promise<void> = Promise.resolve();
  private cache: FolderCache;
  /** UIDs the creating scan gave out, for the first session to attach (\Recent); undefined after. */
  private initialFresh: UidRun | undefined = NO_UIDS;
  private readonly keywords = new KeywordStats();
  private readonly watchers: WatchHub;
  /** Changes on disk since the last full look, ours told apart (the cheap check before a scan). */
  readonly changes: FolderChanges;
  /** Whether the disk moved on since the last look, and what the list matches (stamps). */
  private readonly look: FolderLook;
  private readonly stamps: IndexStamps;

  private constructor(
    private readonly ctx: MaildirContext,
    readonly name: string,
    readonly path: string,
    readonly readOnly: boolean,
    watchable: boolean,
    trustMs: number | undefined,
  ) {
    this.cache = FolderCache.empty(ctx, path);
    this.watchers = new WatchHub(path);
    this.changes = FolderChanges.start(path, trustMs, watchable);
    this.look = new FolderLook(this, this.changes, (fn) => this.serial(fn));
    this.stamps = this.look.stamps;
  }

  /** `trustMs`: how long the watches' answer holds (folder-changes.ts; tests shorten it). */
  static async open(
    ctx: MaildirContext,
    name: string,
    path: string,
    readOnly: boolean,
    eager: boolean,
    trustMs?: number,
  ): Promise<FolderIndex> {
    // Courier's SELECT makes the keyword dir anyway (on its first read); made before the watches
    // start, it is watched from the first scan on.
    const [watchable] = await Promise.all([
      watchableFolder(path),
      readOnly ? undefined : ensureKeywordDir(path),
    ]);
    const index = new FolderIndex(ctx, name, path, readOnly, watchable, trustMs);
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
    const snap = await snapshotRecords(this.ctx, this.path, stamp, this.interner);
    if (!snap) return false;
    if (snap.cache) this.cache = snap.cache;
    this.publish(snap.records);
    this.uidValidity = snap.uidValidity;
    this.uidNext = snap.nextUid;
    this.stamps.opened(stamp);
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
   * Brings the list in step with the disk (call inside `serial`; see FolderLook). Returns the UIDs
   * this scan gave out (\Recent for the calling session only; with `markRecent`, the opening
   * scan's records carry them, see viewFor).
   */
  async scan(ctx: MaildirContext, markRecent = false): Promise<UidRun> {
    const old = this.list;
    const scan = await this.look.look(ctx, old, () => ({
      old,
      cache: this.cache,
      interner: this.interner,
      lazy: this.eagerViews === 0,
      markRecent,
      locate: this.locate,
    }));
    if (!scan) return NO_UIDS;
    try {
      const records = scan.records;
      // Nothing changed: keep the old array, so sessions holding it still share it.
      if (records.length !== old.length || records.some((r, i) => r !== old[i])) {
        this.publish(records);
        this.recentInList = markRecent && records.some((r) => r.recent);
      }
      this.uidValidity = scan.uidValidity;
      this.uidNext = scan.nextUid;
      await this.cache.flush(records, records.length);
      return scan.fresh;
    } catch (err) {
      this.changes.markDirty();
      throw err;
    }
  }

  /** Our EXPUNGE removed these messages: the next scan's uiddb leaves them out. */
  pruneLater(keys: readonly string[]): void {
    this.look.pruneLater(keys);
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
    this.replace(updated);
    await this.cache.flush(this.list, this.list.length);
  }

  /** Measures every unmeasured message (an 'eager' session attached). */
  measureAllUnmeasured(): Promise<void> {
    return this.measure(this.list.filter((r) => !r.measured).map((r) => r.uid));
  }

  /** Our renames (flags, keywords): these records (same UIDs) replace theirs in a new list. */
  update(records: readonly MessageRecord[]): void {
    this.stamps.ownChange();
    this.replace(records);
  }

  private replace(records: readonly MessageRecord[]): void {
    if (records.length === 0) return;
    const next = [...this.list];
    for (const r of records) {
      const i = indexOfUid(next, r.uid);
      if (i >= 0) next[i] = r;
    }
    this.publish(next);
  }

  /** Our unlinks: drops these UIDs in a new list. */
  remove(uids: ReadonlySet<number>): void {
    this.stamps.ownChange();
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
      await this.leaveSnapshot(await takeStamp(this.path));
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
        this.stamps.stop();
        const now = this.ctx.useCache ? await this.stamps.retake() : undefined;
        if (now) await this.leaveSnapshot(now);
      } finally {
        this.changes.close();
      }
    });
  }

  private async leaveSnapshot(now: FolderStamp): Promise<void> {
    // With rows of our EXPUNGEs still in the uiddb, the next open scans (and drops them, as Courier's).
    if (!this.ctx.useCache || this.look.pending > 0) return;
    await this.stamps.leaveSnapshot(this.ctx, this.path, now, this).catch((err: unknown) => {
      this.ctx.log.debug({ err, folder: this.name }, 'snapshot not written');
    });
  }
}
