/**
 * Open folder indexes of this process, keyed by the folder's real path and mode, reference-counted:
 * every session that selects the same folder shares one index (records, cache, watchers). When its
 * last session closes, the index writes its cache and snapshot and stays parked a little while
 * (a client that reconnects, or selects the folder again, finds it in memory; its watches, or the
 * stamp check, on attach still catch every change made meanwhile), then is dropped (`dispose`: the
 * watches end, a last snapshot is left). Only a few are kept parked.
 *
 * One registry per process is the point (imapd runs all sessions of an account in one worker, each
 * opening the maildir itself): it lives in the process's `MaildirSharing` (store/sharing.ts).
 */
import type { FolderIndex } from './folder-index.js';

/** How long an index without sessions stays in memory. */
const PARK_MS = 30_000;
/** How many indexes without sessions are kept at most (the oldest parked goes first). */
const MAX_PARKED = 4;

interface Entry {
  readonly index: Promise<FolderIndex>;
  refs: number;
  parkTimer?: NodeJS.Timeout;
}

export class FolderRegistry {
  private readonly entries = new Map<string, Entry>();
  /** Keys of parked entries, oldest first. */
  private readonly parked: string[] = [];

  constructor(private readonly parkMs = PARK_MS) {}

  /** Number of folder indexes in memory, in use or parked (for tests and diagnostics). */
  get size(): number {
    return this.entries.size;
  }

  /** The shared index for `key`, created by `create` when none is open. Pair with `release`. */
  acquire(key: string, create: () => Promise<FolderIndex>): Promise<FolderIndex> {
    let entry = this.entries.get(key);
    if (!entry) {
      const made: Entry = { index: create(), refs: 0 };
      entry = made;
      this.entries.set(key, made);
      made.index.catch(() => {
        if (this.entries.get(key) === made) this.entries.delete(key);
      });
    }
    this.unpark(key, entry);
    entry.refs++;
    return entry.index;
  }

  /** One session is done with the index; the last one persists and parks it. */
  async release(key: string, index: FolderIndex): Promise<void> {
    const entry = this.entries.get(key);
    if (!entry || (await entry.index.catch(() => undefined)) !== index) return;
    if (--entry.refs > 0) return;
    await index.close();
    if (entry.refs > 0 || this.entries.get(key) !== entry) return; // taken again meanwhile
    if (this.parkMs <= 0) {
      this.entries.delete(key);
      await index.dispose();
      return;
    }
    entry.parkTimer = setTimeout(() => this.drop(key, entry), this.parkMs);
    entry.parkTimer.unref();
    this.parked.push(key);
    while (this.parked.length > MAX_PARKED) {
      const old = this.parked[0]!;
      const e = this.entries.get(old);
      if (e) this.drop(old, e);
      else this.parked.shift();
    }
  }

  private unpark(key: string, entry: Entry): void {
    if (!entry.parkTimer) return;
    clearTimeout(entry.parkTimer);
    entry.parkTimer = undefined;
    const i = this.parked.indexOf(key);
    if (i >= 0) this.parked.splice(i, 1);
  }

  private drop(key: string, entry: Entry): void {
    this.unpark(key, entry);
    if (entry.refs !== 0 || this.entries.get(key) !== entry) return;
    this.entries.delete(key);
    void entry.index.then((index) => index.dispose()).catch(() => {});
  }
}
