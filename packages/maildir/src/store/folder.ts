/**
 * A selected folder as one session sees it: the message list it last reported (usually the shared
 * index's own array, so a session costs a few objects, not a copy of the folder) and its own
 * \Recent set. sync() brings this view to the shared index after bringing the index to the disk, and
 * reports the difference — so each session gets its own EXPUNGE/EXISTS/FETCH updates, including
 * for changes made by other sessions of this process.
 */
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { FolderClosedError, ReadOnlyFolderError } from '../errors.js';
import type { MaildirContext } from '../fs/context.js';
import { openCrlfStream, readHeaderBlock } from '../message/message-reader.js';
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
import { FolderIndex } from './folder-index.js';
import type { FolderRegistry } from './folder-registry.js';
import { expungeIn, setFlagsIn } from './folder-writes.js';
import { indexOfUid, type MessageRecord } from './message-info.js';
import { RecentUids, type UidRun } from './recent-uids.js';
import { diffViews, patchOwn, sameRecords } from './view-diff.js';

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

export interface FolderViewOptions {
  readonly name: string;
  readonly path: string;
  readonly readOnly: boolean;
  /** Measure every message after each scan ('eager' details). */
  readonly eager: boolean;
  readonly registry: FolderRegistry;
  /** Registry key: the folder's real path and mode. */
  readonly key: string;
}

export class MaildirFolder implements Folder {
  private list: readonly MessageRecord[] = [];
  /** UIDs that are \Recent in this session (undefined while none). */
  private recentUids: RecentUids | undefined;
  /**
   * What `list` was made from by viewFor (the index's list and the \Recent set's version): while
   * neither changed, a look at the folder (every command reports changes) reuses it instead of
   * going over every message again (the first session after new mail has them all \Recent).
   */
  private viewOf: { readonly list: readonly MessageRecord[]; readonly recent: number } | undefined;
  private uidv = 0;
  private next = 1;
  private closed = false;
  readonly name: string;
  readonly path: string;
  readonly readOnly: boolean;

  private constructor(
    private readonly ctx: MaildirContext,
    private readonly host: FolderHost,
    private readonly index: FolderIndex,
    private readonly options: FolderViewOptions,
  ) {
    this.name = options.name;
    this.path = options.path;
    this.readOnly = options.readOnly;
  }

  static async open(
    ctx: MaildirContext,
    host: FolderHost,
    options: FolderViewOptions,
  ): Promise<MaildirFolder> {
    const { registry, key } = options;
    const index = await registry.acquire(key, () =>
      FolderIndex.open(ctx, options.name, options.path, options.readOnly, options.eager),
    );
    const view = new MaildirFolder(ctx, host, index, options);
    if (options.eager) index.eagerViews++;
    try {
      await index.serial(async () => {
        // The session that opened the index saw its first scan; later ones look at the disk now.
        view.addRecent(index.takeInitialFresh() ?? (await index.scan(ctx)));
        if (options.eager) await index.measureAllUnmeasured();
        view.adopt();
      });
    } catch (err) {
      await view.close().catch(() => {});
      throw err;
    }
    return view;
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
    return this.index.keywordCounts(this.list);
  }

  byUid(uid: number): MessageInfo | undefined {
    return this.find(uid);
  }

  private addRecent(run: UidRun): void {
    if (run.to <= run.from) return;
    this.recentUids ??= new RecentUids();
    this.recentUids.addRun(run.from, run.to);
  }

  /** Takes the index's current list as this session's (with its own \Recent marks). */
  private adopt(): void {
    this.takeIndexView();
    this.uidv = this.index.uidValidity;
    this.next = this.index.uidNext;
  }

  /** `list` = the index's list with this session's \Recent marks (made again only when either changed). */
  private takeIndexView(): void {
    const recent = this.recentUids?.version ?? -1;
    const v = this.viewOf;
    if (v && v.list === this.index.list && v.recent === recent) return;
    this.list = this.index.viewFor(this.recentUids);
    // viewFor may replace the index's list (marks dropped): what it holds now is what `list` shows
    this.viewOf = { list: this.index.list, recent };
  }

  /** After our own change: the view gets these records without reporting them later. */
  private own(wasCurrent: boolean, records: readonly MessageRecord[], removed?: ReadonlySet<number>): void {
    if (removed && this.recentUids) for (const u of removed) this.recentUids.delete(u);
    if (wasCurrent) {
      this.takeIndexView();
      return;
    }
    // Our view differs from the index (changes not reported yet): patch a copy of it.
    this.list = patchOwn(this.list, records, removed, this.recentUids);
    this.viewOf = undefined;
  }

  measure(msgs: readonly MessageInfo[]): Promise<readonly MessageInfo[]> {
    this.assertOpen();
    return this.index.serial(async () => {
      const wasCurrent = this.sameAsIndex();
      const uids = msgs.map((m) => m.uid);
      await this.index.measure(uids);
      // Measured details only: flags and keywords stay as this session last reported them.
      const updated: MessageRecord[] = [];
      for (const u of uids) {
        const mine = this.find(u);
        const now = this.index.find(u);
        if (mine && now && !mine.measured && now.measured) updated.push(mine.withMeta(now.meta));
      }
      this.own(wasCurrent, updated);
      return msgs.map((m) => this.byUid(m.uid) ?? m);
    });
  }

  /** This view holds the index's current records (apart from \Recent marks). */
  private sameAsIndex(): boolean {
    return sameRecords(this.list, this.index.list);
  }

  private find(uid: number): MessageRecord | undefined {
    const i = indexOfUid(this.list, uid);
    return i < 0 ? undefined : this.list[i];
  }

  private assertOpen(): void {
    if (this.closed) throw new FolderClosedError();
  }

  private assertWritable(): void {
    this.assertOpen();
    if (this.readOnly) throw new ReadOnlyFolderError(this.name);
  }

  /** Current name in cur/ of the message with this unique key (after someone else's rename). */
  readonly locate = (key: string): Promise<string | undefined> => this.index.locate(key);

  sync(): Promise<SyncChanges> {
    this.assertOpen();
    return this.index.serial(async () => {
      this.addRecent(await this.index.scan(this.ctx));
      if (this.options.eager) await this.index.measureAllUnmeasured();
      const before = this.list;
      const beforeKeywords = [...this.index.keywordCounts(before).keys()];
      this.adopt();
      const changes = diffViews(before, this.list);
      const afterKeywords = [...this.index.keywordCounts(this.list).keys()];
      const keywordsChanged =
        beforeKeywords.length !== afterKeywords.length ||
        beforeKeywords.some((k, i) => k.toLowerCase() !== afterKeywords[i]!.toLowerCase());
      return { ...changes, keywordsChanged };
    });
  }

  openMessage(msg: MessageInfo, range?: ByteRange): Readable {
    this.assertOpen();
    const cur = this.index.find(msg.uid) ?? msg;
    return openCrlfStream(join(this.path, 'cur'), cur, this.locate, range);
  }

  async readHeaders(msg: MessageInfo, maxBytes: number): Promise<Buffer> {
    this.assertOpen();
    const cur = this.index.find(msg.uid) ?? msg;
    try {
      return await readHeaderBlock(join(this.path, 'cur', cur.filename), maxBytes);
    } catch (err) {
      const now = await this.locate(cur.key);
      if (!now) throw err;
      return readHeaderBlock(join(this.path, 'cur', now), maxBytes);
    }
  }

  async setFlags(
    msgs: readonly MessageInfo[],
    mode: FlagMode,
    flags: Iterable<MaildirFlag>,
    keywords?: Iterable<string>,
  ): Promise<readonly MessageInfo[]> {
    this.assertWritable();
    const flagList = [...flags];
    const kwList = keywords === undefined ? undefined : [...keywords];
    return this.index.serial(async () => {
      const wasCurrent = this.sameAsIndex();
      const uids = msgs.map((m) => m.uid).filter((u) => indexOfUid(this.list, u) >= 0);
      const place = { root: this.host.root, isTrash: this.isTrash() };
      const updated = await setFlagsIn(this.index, this.ctx, place, uids, mode, flagList, kwList);
      this.own(wasCurrent, updated);
      return updated.map((r) => this.byUid(r.uid) ?? r);
    });
  }

  async expunge(
    msgs: readonly MessageInfo[],
    options: { readonly moveToTrash?: string } = {},
  ): Promise<readonly number[]> {
    this.assertWritable();
    const trash =
      options.moveToTrash === undefined ? undefined : await this.host.folderDir(options.moveToTrash);
    return this.index.serial(async () => {
      const wasCurrent = this.sameAsIndex();
      // A message another session expunged is still in this view until reported: unlinking finds
      // it gone, and it is reported as expunged by us (as when another process removed the file).
      const mine = msgs.map((m) => m.uid).filter((u) => indexOfUid(this.list, u) >= 0);
      const place = { root: this.host.root, isTrash: this.isTrash() };
      await expungeIn(this.index, place, mine, trash);
      const gone = new Set(mine.filter((u) => !this.index.find(u)));
      this.own(wasCurrent, [], gone);
      return [...gone].sort((a, b) => a - b);
    });
  }

  isTrash(): boolean {
    return this.path === join(this.host.root, '.Trash');
  }

  async copyTo(msgs: readonly MessageInfo[], dest: string): Promise<CopyResult> {
    this.assertOpen();
    const recs = msgs.map((m) => this.index.find(m.uid)).filter((r): r is MessageRecord => r !== undefined);
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
    return this.index.watch(onChange, options.pollMs ?? 30_000);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.options.eager) this.index.eagerViews--;
    await this.options.registry.release(this.options.key, this.index);
  }
}
