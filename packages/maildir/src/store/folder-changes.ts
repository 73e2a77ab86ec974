/**
 * Whether a folder may have changed on disk since its index last read it, known without listing a
 * directory: inotify watches (fs.watch) on cur/, new/, the keyword dir and the folder dir itself
 * (for courierimapuiddb) report every change there. The index announces its own renames, unlinks
 * and uiddb writes before making them (`expect`), so only a change made by anyone else (another
 * process: Courier, an MTA delivering into new/, another worker; or an APPEND/COPY of this
 * process, which goes through its own scan) marks the folder dirty.
 *
 * The answer is trusted only while the watches are sound: a watch that cannot start, an event on a
 * watched directory itself (deleted or renamed), an event without a name or a watcher error leave
 * the folder dirty for good (the callers' stamp check and scan take over). inotify drops events
 * silently when its queue overflows (16,384 by default), so a clean answer is also trusted only
 * for `trustMs` after the last full look at the disk.
 */
import { type FSWatcher, watch } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { KEYWORD_DIR } from '../state/keywords.js';
import { UIDDB_FILE } from '../state/uid-db.js';

/** Where an own change happens: cur/, new/, the keyword dir, or the folder dir (courierimapuiddb). */
export type ChangePlace = 'cur' | 'new' | 'kw' | 'root';

/**
 * File systems whose every change passes through this kernel (statfs f_type), so inotify sees
 * changes made by any process: ext2/3/4, xfs, btrfs, tmpfs, zfs, f2fs, reiserfs, jfs, bcachefs,
 * overlayfs. On NFS, SMB, FUSE and the like, another host's change raises no event: no watches there.
 */
const LOCAL_FS_TYPES = new Set([
  0xef53, 0x58465342, 0x9123683e, 0x01021994, 0x2fc12fc1, 0xf2f52010, 0x52654973, 0x3153464a, 0xca451a4e,
  0x794c7630,
]);

/** The folder is on a local file system (see LOCAL_FS_TYPES); false when that cannot be told. */
export async function watchableFolder(folderDir: string): Promise<boolean> {
  try {
    return LOCAL_FS_TYPES.has(Number((await statfs(folderDir)).type));
  } catch {
    return false;
  }
}

/** How long a clean answer holds without a full look at the disk (see the overflow note above). */
const TRUST_MS = 10_000;

/** Resolves after the event loop has polled for I/O at least once (pending watch events delivered). */
function afterPoll(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

export class FolderChanges {
  private readonly watchers: FSWatcher[] = [];
  private dirty = true;
  private broken = false;
  private closed = false;
  private checkedAt = Number.NEGATIVE_INFINITY;
  /** `place/name` -> how many events of ours are still to come for that name. */
  private readonly expected = new Map<string, number>();

  private constructor(private readonly trustMs: number) {}

  /**
   * Starts watching `folderDir` (it starts dirty: call `begin` before the first full read). With
   * `watchable` false (see watchableFolder) nothing is watched and every look reads the disk.
   */
  static start(folderDir: string, trustMs = TRUST_MS, watchable = true): FolderChanges {
    const c = new FolderChanges(trustMs);
    if (!watchable) {
      c.break();
      return c;
    }
    c.watch('root', folderDir, true);
    c.watch('cur', join(folderDir, 'cur'), true);
    c.watch('new', join(folderDir, 'new'), true);
    // A missing keyword dir can only appear through an event on the folder dir (which breaks).
    c.watch('kw', join(folderDir, KEYWORD_DIR), false);
    return c;
  }

  private watch(place: ChangePlace, dir: string, required: boolean): void {
    if (this.broken) return;
    try {
      const w = watch(dir, { persistent: false }, (type, name) => this.onEvent(place, dir, type, name));
      w.on('error', () => this.break());
      this.watchers.push(w);
    } catch (err) {
      if (required || (err as NodeJS.ErrnoException).code !== 'ENOENT') this.break();
    }
  }

  private onEvent(place: ChangePlace, dir: string, type: string, name: string | Buffer | null): void {
    if (typeof name !== 'string' || name === basename(dir)) {
      this.break(); // the directory itself went (or no name to judge by)
      return;
    }
    if (place === 'root') {
      if (name === 'cur' || name === 'new' || name === KEYWORD_DIR) this.break();
      else if (name === UIDDB_FILE && !this.take(place, name)) this.dirty = true;
      return; // the folder dir's other files (our cache, maildirsize ...) are not the index's
    }
    // In cur/ and new/ only names matter (contents and attributes are not what a scan reads), and
    // dotfiles are no messages.
    if (place !== 'kw' && (type === 'change' || name.startsWith('.'))) return;
    if (!this.take(place, name)) this.dirty = true;
  }

  private take(place: ChangePlace, name: string): boolean {
    const k = `${place}/${name}`;
    const n = this.expected.get(k);
    if (n === undefined) return false;
    if (n <= 1) this.expected.delete(k);
    else this.expected.set(k, n - 1);
    return true;
  }

  private break(): void {
    this.broken = true;
    this.dirty = true;
    for (const w of this.watchers.splice(0)) w.close();
  }

  /** Our own change of `name` in `place` is about to happen: its event is not someone else's. */
  expect(place: ChangePlace, name: string): void {
    if (this.broken) return;
    const k = `${place}/${name}`;
    this.expected.set(k, (this.expected.get(k) ?? 0) + 1);
  }

  /** Something happened that the index does not account for: the next look reads the disk. */
  markDirty(): void {
    this.dirty = true;
  }

  /**
   * True when nothing but our own announced changes happened since the last `begin` (and that was
   * recently): the index is the disk's. Waits for pending watch events first.
   */
  async unchanged(): Promise<boolean> {
    // Even when dirty: our own events still on their way are taken before a `begin` clears them.
    await afterPoll();
    return !this.dirty && performance.now() - this.checkedAt < this.trustMs;
  }

  /**
   * A full look at the disk starts now (stamp check, listing or scan): any change from here on
   * that is not announced makes the folder dirty again. Call `markDirty` if the look fails.
   */
  begin(): void {
    if (this.broken || this.closed) return;
    this.dirty = false;
    this.expected.clear();
    this.checkedAt = performance.now();
  }

  close(): void {
    this.closed = true;
    this.break();
  }
}
