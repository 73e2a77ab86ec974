/**
 * What a folder index knows of its folder's fingerprint (folder-stamp.ts), and the snapshot it
 * leaves for the next open (folder-snapshot.ts): the stamp its list matches (the cheap check
 * before a look at the disk, once the watches can no longer answer), the one taken before the last
 * full scan or of the snapshot it was opened from (what diskMatches builds on), and the parts of
 * that snapshot.
 *
 * A stamp is taken before the look it guards, so after a change of our own (a scan that moved
 * messages from new/ and wrote the uiddb, a rename, an unlink) it lags the disk: the first look
 * after the watches' trust window would list cur/ or rescan the whole folder (100,000 names, tens
 * of MB of garbage, 2 s on the bench machine, in the middle of whatever the sessions are doing).
 * So a little after such a change, once a stamp can be trusted, it is taken again, while the
 * watches say that nothing but our own changes happened: that later look is the stamp check.
 */
import type { MaildirContext } from '../fs/context.js';
import type { FolderChanges } from './folder-changes.js';
import { writeSnapshot } from './folder-snapshot.js';
import { type FolderStamp, takeStamp } from './folder-stamp.js';
import type { MessageRecord } from './message-info.js';

/**
 * How long after a change of ours the stamp is taken again: past the 100 ms margin of a
 * nanosecond-timestamp file system (folder-stamp.ts); on a whole-second one it is taken again
 * until it can be trusted (2 s), as long as the watches vouch for the folder.
 */
const CATCH_UP_MS = 300;

/** Runs work one at a time with the index's other state-changing work (FolderIndex.serial). */
export type Serial = <T>(fn: () => Promise<T>) => Promise<T>;

export class IndexStamps {
  /** The stamp the index's list matches (undefined before the first look). */
  current: FolderStamp | undefined;
  /** Taken before the last full scan, or of the snapshot opened. */
  scanned: FolderStamp | undefined;
  /** Parts of the snapshot the index was opened from, or last left (no need to write it again). */
  snapshotParts: string | undefined;
  /** Our own changes since `current` was taken: it may lag the disk. */
  private behind = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly folderDir: string,
    private readonly changes: FolderChanges,
    private readonly serial: Serial,
  ) {}

  /** The folder is as `current` says (a trusted stamp, equal to one taken now). */
  matches(now: FolderStamp): boolean {
    return this.current?.safe === true && this.current.parts === now.parts;
  }

  /** `current` may lag the disk, or cannot be trusted yet. */
  get lagging(): boolean {
    return this.behind || this.current?.safe !== true;
  }

  /** Opened from the snapshot this stamp was taken of. */
  opened(stamp: FolderStamp): void {
    this.current = stamp;
    this.scanned = stamp;
    this.snapshotParts = stamp.parts;
    this.behind = false;
  }

  /** A full scan ran after `before` was taken (it may have changed the folder itself). */
  fullScan(before: FolderStamp): void {
    this.current = before;
    this.scanned = before;
    this.ownChange();
  }

  /** The folder was found to be what the list says, as of `now` (listing or stamp taken now). */
  confirmed(now: FolderStamp): void {
    this.current = now;
    this.behind = !now.safe;
    if (this.behind) this.arm();
  }

  /** We changed the folder (rename, unlink, uiddb write): `current` lags it. */
  ownChange(): void {
    this.behind = true;
    this.arm();
  }

  /** No more catching up (the index is dropped). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.serial(() => this.catchUp()).catch(() => {});
    }, CATCH_UP_MS);
    this.timer.unref();
  }

  /** Takes the stamp again if it lags (call inside `serial`; see `arm`). */
  async catchUp(): Promise<void> {
    if (this.lagging && !this.stopped) await this.retake();
  }

  /** A stamp taken now, kept (and returned) when the watches say nothing but our own changes happened. */
  async retake(): Promise<FolderStamp | undefined> {
    const { changes } = this;
    if (!(await changes.unchanged())) return undefined;
    const now = await takeStamp(this.folderDir);
    if (!(await changes.unchanged())) return undefined;
    this.confirmed(now);
    return now;
  }

  /**
   * Leaves a snapshot for the next open when the list is exactly the disk's as of `now` (a trusted
   * stamp, with UIDs persisted in courierimapuiddb: a state Courier would also find), unless one
   * of that state is there already. Messages not measured yet are written as such (NaN).
   */
  async leaveSnapshot(
    ctx: MaildirContext,
    folderDir: string,
    now: FolderStamp,
    folder: {
      readonly uidValidity: number;
      readonly uidNext: number;
      readonly list: readonly MessageRecord[];
    },
  ): Promise<void> {
    if (!now.safe || !now.uiddb || now.parts !== this.current?.parts || now.parts === this.snapshotParts)
      return;
    await writeSnapshot(ctx, folderDir, now, folder.uidValidity, folder.uidNext, folder.list);
    this.snapshotParts = now.parts;
  }
}
