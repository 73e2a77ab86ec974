/** A selected folder: the message list in UID order, kept in step with the disk by sync(). */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { FolderClosedError, NoSuchFolderError, ReadOnlyFolderError } from '../errors.js';
import type { MaildirContext } from '../fs/context.js';
import { withMaildirLock } from '../fs/lock.js';
import { keyOf, sizeFromName } from '../message/filename.js';
import { openCrlfStream, readHeaderBlock } from '../message/message-reader.js';
import { compareKeywordsForList, sanitizeKeyword } from '../state/keyword-order.js';
import { readKeywords, writeKeywordUpdate } from '../state/keywords.js';
import { addQuotaLine, countsForQuota } from '../state/maildirsize.js';
import type {
  AppendOptions,
  AppendResult,
  ByteRange,
  CopyResult,
  FlagMode,
  Folder,
  FolderChangeListener,
  FolderWatch,
  MaildirFlag,
  MessageInfo,
  SyncChanges,
} from '../types.js';
import { FolderCache } from './folder-cache.js';
import { readSnapshot, writeSnapshot } from './folder-snapshot.js';
import { type FolderStamp, takeStamp } from './folder-stamp.js';
import { moveMessage, nextKeywords, renameFlags, unlinkMessage } from './message-files.js';
import {
  buildRecords,
  FlagInterner,
  type MessageRecord,
  makeRecord,
  measureAll,
  sameSet,
} from './message-info.js';
import { scanFolder } from './scan.js';
import { watchFolder } from './watch.js';

/** Operations that need the whole maildir (other folders, quota root). */
export interface FolderHost {
  copyMessages(source: MaildirFolder, msgs: readonly MessageRecord[], dest: string): Promise<CopyResult>;
  folderDir(name: string): Promise<{ dir: string; isTrash: boolean }>;
  appendTo(
    folder: MaildirFolder,
    body: AsyncIterable<Uint8Array> | Readable,
    options: AppendOptions,
  ): Promise<AppendResult>;
  readonly root: string;
}

/** Size for the quota of a message not measured yet (`,S=`, else stat). */
async function fileSize(curDir: string, key: string, filename: string): Promise<number> {
  const hint = sizeFromName(key);
  if (hint !== undefined) return hint;
  return stat(join(curDir, filename)).then(
    (st) => st.size,
    () => 0,
  );
}

export class MaildirFolder implements Folder {
  private list: MessageRecord[] = [];
  private byUidMap = new Map<number, MessageRecord>();
  private readonly recentUids = new Set<number>();
  private counts = new Map<string, { name: string; count: number }>();
  private uidv = 0;
  private next = 1;
  private stamp: FolderStamp | undefined;
  private closed = false;
  private queue: Promise<void> = Promise.resolve();
  private readonly interner = new FlagInterner();
  /** Stamp of the snapshot this folder was opened from (no need to write it again). */
  private snapshotParts: string | undefined;

  private constructor(
    private readonly ctx: MaildirContext,
    private readonly host: FolderHost,
    readonly name: string,
    readonly path: string,
    readonly readOnly: boolean,
    private cache: FolderCache,
    private readonly lazy: boolean,
  ) {}

  static async open(
    ctx: MaildirContext,
    host: FolderHost,
    name: string,
    path: string,
    readOnly: boolean,
    lazy = false,
  ): Promise<MaildirFolder> {
    const f = new MaildirFolder(ctx, host, name, path, readOnly, FolderCache.empty(ctx, path), lazy);
    if (!(await f.fromSnapshot())) {
      f.cache = await FolderCache.load(ctx, path);
      await f.sync();
    }
    return f;
  }

  /** Opens from our snapshot when the folder is exactly as it was then (no scan needed). */
  private async fromSnapshot(): Promise<boolean> {
    if (!this.ctx.useCache) return false;
    const stamp = await takeStamp(this.path);
    const snap = await readSnapshot(this.path, stamp);
    if (!snap) return false;
    const records = snap.rows.map((r) =>
      makeRecord(
        this.interner,
        r.uid,
        r.filename,
        { size: r.size, lfs: r.lfs, mtimeMs: r.mtimeMs },
        r.keywords,
        false,
      ),
    );
    this.replace(records);
    this.uidv = snap.uidValidity;
    this.next = snap.nextUid;
    this.stamp = stamp;
    this.snapshotParts = stamp.parts;
    return true;
  }

  get uidValidity(): number {
    return this.uidv;
  }
  get uidNext(): number {
    return this.next;
  }
  get messages(): readonly MessageInfo[] {
    return this.list;
  }
  /** In Courier's order (the order of `:list`, which its FLAGS response follows). */
  get keywordCounts(): ReadonlyMap<string, number> {
    const all = [...this.counts.values()].sort((a, b) => compareKeywordsForList(a.name, b.name));
    return new Map(all.map((c) => [c.name, c.count]));
  }

  byUid(uid: number): MessageInfo | undefined {
    return this.byUidMap.get(uid);
  }

  measure(msgs: readonly MessageInfo[]): Promise<readonly MessageInfo[]> {
    this.assertOpen();
    return this.serial(async () => {
      const recs = msgs
        .map((m) => this.byUidMap.get(m.uid))
        .filter((r): r is MessageRecord => r !== undefined);
      const todo = recs.filter((r) => Number.isNaN(r.size));
      const metas = await measureAll(todo.map((r) => join(this.path, 'cur', r.filename)));
      todo.forEach((r, i) => {
        const meta = metas[i];
        if (!meta) return; // renamed or gone: the next sync sorts it out
        this.cache.set(r.key, meta);
        this.setRecord(makeRecord(this.interner, r.uid, r.filename, meta, r.keywords, r.recent));
      });
      if (todo.length > 0) await this.cache.flush(this.list, this.list.length);
      return recs.map((r) => this.byUidMap.get(r.uid) ?? r);
    });
  }

  private assertOpen(): void {
    if (this.closed) throw new FolderClosedError();
  }

  private assertWritable(): void {
    this.assertOpen();
    if (this.readOnly) throw new ReadOnlyFolderError(this.name);
  }

  /** Current name in cur/ of the message with this unique key (after someone else's rename). */
  readonly locate = async (key: string): Promise<string | undefined> => {
    for (const n of await readdir(join(this.path, 'cur')).catch(() => [] as string[])) {
      if (!n.startsWith('.') && keyOf(n) === key) return n;
    }
    return undefined;
  };

  sync(): Promise<SyncChanges> {
    this.assertOpen();
    return this.serial(() => this.doSync());
  }

  /** Runs state-changing work one at a time (sync, flags, expunge) for this folder object. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async doSync(): Promise<SyncChanges> {
    const before = await takeStamp(this.path);
    if (this.stamp?.safe && this.stamp.parts === before.parts) {
      return { added: [], expunged: [], flagsChanged: [], keywordsChanged: false };
    }
    const { scan, keywords } = await withMaildirLock(this.ctx, this.path, async () => {
      const scan = await scanFolder(this.ctx, this.path, { readOnly: this.readOnly, folderName: this.name });
      const keys = new Set(scan.entries.map((e) => keyOf(e.filename)));
      const keywords = await readKeywords(this.ctx, this.path, keys, { write: true });
      return { scan, keywords };
    }).catch((err: unknown) => {
      // The folder was deleted or renamed by another session.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        throw new NoSuchFolderError(this.name, { cause: err });
      throw err;
    });
    const records = await buildRecords({
      curDir: join(this.path, 'cur'),
      entries: scan.entries,
      previous: this.byUidMap,
      keywords,
      recentUids: this.recentUids,
      cache: this.cache,
      interner: this.interner,
      lazy: this.lazy,
      locate: this.locate,
    });
    const changes = this.replace(records);
    this.uidv = scan.uidValidity;
    this.next = scan.nextUid;
    await this.cache.flush(records, records.length);
    this.stamp = before;
    return changes;
  }

  private replace(records: MessageRecord[]): SyncChanges {
    const old = this.byUidMap;
    const map = new Map(records.map((r) => [r.uid, r]));
    const added: MessageInfo[] = [];
    const flagsChanged: MessageInfo[] = [];
    for (const r of records) {
      const o = old.get(r.uid);
      if (!o) added.push(r);
      else if (o !== r && (!sameSet(o.flags, r.flags) || !sameSet(o.keywords, r.keywords)))
        flagsChanged.push(r);
    }
    const expunged: number[] = [];
    for (const uid of old.keys()) if (!map.has(uid)) expunged.push(uid);
    expunged.sort((a, b) => a - b);
    this.list = records;
    this.byUidMap = map;
    const keywordsChanged = this.recount();
    return { added, expunged, flagsChanged, keywordsChanged };
  }

  /** Recomputes keyword counters; true when the set of keywords in use changed. */
  private recount(): boolean {
    const counts = new Map<string, { name: string; count: number }>();
    for (const r of this.list) {
      for (const k of r.keywords) {
        const lk = k.toLowerCase();
        const c = counts.get(lk);
        if (c) c.count++;
        else counts.set(lk, { name: this.counts.get(lk)?.name ?? k, count: 1 });
      }
    }
    const changed = counts.size !== this.counts.size || [...counts.keys()].some((k) => !this.counts.has(k));
    this.counts = counts;
    return changed;
  }

  private setRecord(r: MessageRecord): void {
    // The list is in UID order: binary search.
    let lo = 0;
    let hi = this.list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const u = this.list[mid]!.uid;
      if (u === r.uid) {
        this.list[mid] = r;
        break;
      }
      if (u < r.uid) lo = mid + 1;
      else hi = mid - 1;
    }
    this.byUidMap.set(r.uid, r);
  }

  private removeUids(uids: ReadonlySet<number>): void {
    this.list = this.list.filter((r) => !uids.has(r.uid));
    for (const u of uids) this.byUidMap.delete(u);
  }

  openMessage(msg: MessageInfo, range?: ByteRange): Readable {
    this.assertOpen();
    const cur = this.byUidMap.get(msg.uid) ?? msg;
    return openCrlfStream(join(this.path, 'cur'), cur, this.locate, range);
  }

  async readHeaders(msg: MessageInfo, maxBytes: number): Promise<Buffer> {
    this.assertOpen();
    const cur = this.byUidMap.get(msg.uid) ?? msg;
    try {
      return await readHeaderBlock(join(this.path, 'cur', cur.filename), maxBytes);
    } catch (err) {
      const now = await this.locate(cur.key);
      if (!now) throw err;
      return readHeaderBlock(join(this.path, 'cur', now), maxBytes);
    }
  }

  /** Keyword spelling already in use in this folder (keywords are case-insensitive). */
  private canonicalKeyword(k: string): string {
    return this.counts.get(k.toLowerCase())?.name ?? k;
  }

  async setFlags(
    msgs: readonly MessageInfo[],
    mode: FlagMode,
    flags: Iterable<MaildirFlag>,
    keywords?: Iterable<string>,
  ): Promise<readonly MessageInfo[]> {
    this.assertWritable();
    return this.serial(() =>
      this.doSetFlags(msgs, mode, [...flags], keywords === undefined ? undefined : [...keywords]),
    );
  }

  private async doSetFlags(
    msgs: readonly MessageInfo[],
    mode: FlagMode,
    flags: readonly MaildirFlag[],
    keywords: readonly string[] | undefined,
  ): Promise<readonly MessageInfo[]> {
    const kwList = keywords?.map((k) => this.canonicalKeyword(sanitizeKeyword(k))).filter((k) => k !== '');
    const curDir = join(this.path, 'cur');
    const out: MessageInfo[] = [];
    for (const m of msgs) {
      const r = this.byUidMap.get(m.uid);
      if (!r) continue;
      const filename = await renameFlags(curDir, r.filename, mode, flags, this.locate);
      if (filename === undefined) continue; // expunged by someone else
      await this.quotaForDeletedFlag(curDir, r, filename);
      let kws = [...r.keywords];
      if (kwList !== undefined) {
        const next = nextKeywords(r.keywords, mode, kwList);
        if (!sameSet(new Set(next), r.keywords)) {
          await writeKeywordUpdate(this.ctx, this.path, r.key, next);
          kws = next;
        }
      }
      const updated = makeRecord(this.interner, r.uid, filename, r.meta, kws, r.recent);
      this.setRecord(updated);
      out.push(updated);
    }
    this.recount();
    return out;
  }

  /**
   * Courier's STORE: setting \Deleted (T) takes the message out of the quota (`-size -1`), clearing it
   * puts it back (`size 1`), one maildirsize line per message; EXPUNGE of a T message adds nothing.
   */
  private async quotaForDeletedFlag(curDir: string, r: MessageRecord, filename: string): Promise<void> {
    const before = countsForQuota(r.filename);
    if (before === countsForQuota(filename) || this.isTrash()) return;
    const size = await fileSize(curDir, r.key, filename);
    await addQuotaLine(this.host.root, before ? -size : size, before ? -1 : 1);
  }

  async expunge(
    msgs: readonly MessageInfo[],
    options: { readonly moveToTrash?: string } = {},
  ): Promise<readonly number[]> {
    this.assertWritable();
    const trash =
      options.moveToTrash === undefined ? undefined : await this.host.folderDir(options.moveToTrash);
    return this.serial(() => this.doExpunge(msgs, trash));
  }

  private async doExpunge(
    msgs: readonly MessageInfo[],
    trash: { dir: string; isTrash: boolean } | undefined,
  ): Promise<readonly number[]> {
    const removed = new Set<number>();
    const quotaLines: number[] = [];
    const curDir = join(this.path, 'cur');
    for (const m of msgs) {
      const r = this.byUidMap.get(m.uid);
      if (!r) continue;
      // Courier's size: `,S=`, else stat. \Deleted (T) messages left the quota at STORE time.
      const size = await fileSize(curDir, r.key, r.filename);
      const gone =
        trash && trash.dir !== this.path
          ? await moveMessage(curDir, join(trash.dir, 'cur'), r.filename, r.key, this.locate)
          : await unlinkMessage(curDir, r.filename, r.key, this.locate);
      removed.add(r.uid);
      if (gone && countsForQuota(gone) && !(trash && !trash.isTrash)) quotaLines.push(size);
    }
    // One `-size -1` line per message, as Courier's STORE +FLAGS (\Deleted) before its EXPUNGE.
    if (!this.isTrash()) for (const size of quotaLines) await addQuotaLine(this.host.root, -size, -1);
    this.removeUids(removed);
    this.recount();
    return [...removed].sort((a, b) => a - b);
  }

  isTrash(): boolean {
    return this.path === join(this.host.root, '.Trash');
  }

  async copyTo(msgs: readonly MessageInfo[], dest: string): Promise<CopyResult> {
    this.assertOpen();
    const recs = msgs.map((m) => this.byUidMap.get(m.uid)).filter((r): r is MessageRecord => r !== undefined);
    return this.host.copyMessages(this, recs, dest);
  }

  async moveTo(msgs: readonly MessageInfo[], dest: string): Promise<CopyResult> {
    this.assertWritable();
    const result = await this.copyTo(msgs, dest);
    const moved = new Set(result.sourceUids);
    await this.expunge(msgs.filter((m) => moved.has(m.uid)));
    return result;
  }

  async append(
    body: AsyncIterable<Uint8Array> | Readable,
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    this.assertWritable();
    return this.host.appendTo(this, body, options);
  }

  watch(onChange: FolderChangeListener, options: { pollMs?: number } = {}): FolderWatch {
    this.assertOpen();
    return watchFolder(this.path, onChange, options.pollMs ?? 30_000);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.queue;
    this.closed = true;
    await this.cache.flush(this.list, this.list.length);
    await this.saveSnapshot();
  }

  /** Leaves a snapshot for the next open when our view is exactly the disk's, and old enough. */
  private async saveSnapshot(): Promise<void> {
    if (!this.ctx.useCache || this.list.some((r) => Number.isNaN(r.size))) return;
    try {
      const now = await takeStamp(this.path);
      // Only a state Courier would also find: UIDs persisted in courierimapuiddb.
      if (!now.safe || !now.uiddb || now.parts !== this.stamp?.parts || now.parts === this.snapshotParts)
        return;
      await writeSnapshot(this.ctx, this.path, now, this.uidv, this.next, this.list);
    } catch (err) {
      this.ctx.log.debug({ err, folder: this.name }, 'snapshot not written');
    }
  }
}
