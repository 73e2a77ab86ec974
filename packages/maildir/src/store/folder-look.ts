/**
 * How a folder index learns whether the disk moved on, cheapest first: the watches (nothing but
 * our own changes since the last look), the stamp check, the listing check (nothing but our own
 * renames and unlinks), and only then a full scan. Also holds the courierimapuiddb rows our
 * EXPUNGEs left behind, dropped where Courier's scan would rewrite the file without them.
 */
import type { MaildirContext } from '../fs/context.js';
import { UIDDB_FILE } from '../state/uid-db.js';
import type { FolderChanges } from './folder-changes.js';
import { type Rescan, type RescanInput, rescanFolder } from './folder-rescan.js';
import { takeStamp } from './folder-stamp.js';
import { diskMatches, NameSets } from './folder-verify.js';
import { IndexStamps, type Serial } from './index-stamps.js';
import type { MessageRecord } from './message-info.js';
import { pruneUidDb } from './uiddb-prune.js';

/** What a full scan needs from the index besides the folder and its watches. */
export type RescanParts = Pick<RescanInput, 'old' | 'cache' | 'interner' | 'lazy' | 'markRecent' | 'locate'>;

export class FolderLook {
  /** The folder's fingerprints: what the list matches, and what the last full scan started from. */
  readonly stamps: IndexStamps;
  private readonly names = new NameSets();
  /** Keys our EXPUNGEs removed since the last scan (still rows of courierimapuiddb). */
  private pendingPrune: string[] = [];

  constructor(
    private readonly folder: { readonly name: string; readonly path: string; readonly readOnly: boolean },
    private readonly changes: FolderChanges,
    serial: Serial,
  ) {
    this.stamps = new IndexStamps(folder.path, changes, serial);
  }

  /** Rows of our EXPUNGEs still in courierimapuiddb. */
  get pending(): number {
    return this.pendingPrune.length;
  }

  /** Our EXPUNGE removed these messages: the next scan's uiddb leaves them out (see prunePending). */
  pruneLater(keys: readonly string[]): void {
    for (const k of keys) this.pendingPrune.push(k);
  }

  /**
   * Brings the caller in step with the disk (call inside the index's `serial`): undefined when
   * `list` is the disk's, else the full scan's result (the stamps already account for it).
   */
  async look(
    ctx: MaildirContext,
    list: readonly MessageRecord[],
    parts: () => RescanParts,
  ): Promise<Rescan | undefined> {
    const { changes } = this;
    try {
      // Nothing but our own changes since the last look: the list is already the disk's.
      if (await changes.unchanged()) {
        await this.prunePending(ctx);
        return undefined;
      }
      changes.begin();
      return await this.lookAtDisk(ctx, list, parts);
    } catch (err) {
      changes.markDirty();
      throw err;
    }
  }

  private async lookAtDisk(
    ctx: MaildirContext,
    list: readonly MessageRecord[],
    parts: () => RescanParts,
  ): Promise<Rescan | undefined> {
    const { name, path, readOnly } = this.folder;
    const before = await takeStamp(path);
    if (this.stamps.matches(before)) {
      await this.prunePending(ctx);
      return undefined;
    }
    // Only our own renames/unlinks since (or nothing at all): the list is already the disk's.
    if (!readOnly && (await diskMatches(path, list, this.names, this.stamps.scanned, before))) {
      this.stamps.confirmed(before);
      await this.prunePending(ctx);
      return undefined;
    }
    ctx.log.debug({ folder: name }, 'full scan');
    this.pendingPrune = []; // the full scan rewrites the uiddb without them
    const scan = await rescanFolder(ctx, {
      ...parts(),
      name,
      path,
      readOnly,
      expect: (place, file) => this.changes.expect(place, file),
      missed: () => this.changes.markDirty(),
    });
    this.stamps.fullScan(before);
    return scan;
  }

  /**
   * Where Courier's scan would rewrite courierimapuiddb without the messages expunged since (it
   * rewrites it whenever a message is gone), and ours does not run: the rows are dropped in place.
   */
  private async prunePending(ctx: MaildirContext): Promise<void> {
    if (this.pendingPrune.length === 0) return;
    const keys = this.pendingPrune;
    this.pendingPrune = [];
    this.stamps.ownChange();
    await pruneUidDb(ctx, this.folder.path, keys, () => this.changes.expect('root', UIDDB_FILE));
  }
}
