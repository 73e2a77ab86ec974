/**
 * A full scan of one folder into message records, as Courier's imapd scans it (courierimapuiddb,
 * new/ moved to cur/, the keywords, all under the maildir lock): the records of the list it
 * replaces are reused wherever the message is the same, and the UIDs it gave out are reported.
 */
import { join } from 'node:path';
import { NoSuchFolderError } from '../errors.js';
import type { MaildirContext } from '../fs/context.js';
import { withMaildirLock } from '../fs/lock.js';
import { readKeywords } from '../state/keywords.js';
import { buildRecords } from './build-records.js';
import type { FolderCache } from './folder-cache.js';
import type { ChangePlace } from './folder-changes.js';
import { type FlagInterner, indexOfUid, type MessageRecord } from './message-info.js';
import type { UidRun } from './recent-uids.js';
import { type ScanEntry, scanFolder } from './scan.js';

/** No UID given out. */
export const NO_UIDS: UidRun = { from: 0, to: 0 };

/**
 * The UIDs a scan gave out: its new messages come last, numbered one after the other (scanFolder
 * gives them nextUid, nextUid + 1, ...), so one run says it all.
 */
function freshRun(entries: readonly ScanEntry[]): UidRun {
  let i = entries.length;
  while (i > 0 && entries[i - 1]!.recent) i--;
  return i === entries.length ? NO_UIDS : { from: entries[i]!.uid, to: entries[entries.length - 1]!.uid + 1 };
}

export interface RescanInput {
  readonly name: string;
  readonly path: string;
  readonly readOnly: boolean;
  /** The list this scan replaces (UID order). */
  readonly old: readonly MessageRecord[];
  readonly cache: FolderCache;
  readonly interner: FlagInterner;
  /** Leave messages unknown to the cache unmeasured. */
  readonly lazy: boolean;
  /** The new messages' records are \Recent (the opening scan). */
  readonly markRecent: boolean;
  /** Our own change of `name` in `place` is about to happen (folder-changes.ts). */
  readonly expect: (place: ChangePlace, name: string) => void;
  /** A change the watches may not report was made. */
  readonly missed: () => void;
  readonly locate: (key: string) => Promise<string | undefined>;
}

export interface Rescan {
  readonly records: MessageRecord[];
  readonly uidValidity: number;
  readonly nextUid: number;
  /** The UIDs this scan gave out. */
  readonly fresh: UidRun;
}

export async function rescanFolder(ctx: MaildirContext, o: RescanInput): Promise<Rescan> {
  const { scan, keywords } = await withMaildirLock(ctx, o.path, async () => {
    const scan = await scanFolder(ctx, o.path, {
      readOnly: o.readOnly,
      folderName: o.name,
      expect: o.expect,
      missed: o.missed,
    });
    const keys = () => new Set(scan.entries.map((e) => e.key));
    const keywords = await readKeywords(ctx, o.path, keys, { write: true });
    return { scan, keywords };
  }).catch((err: unknown) => {
    // The folder was deleted or renamed by another session.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new NoSuchFolderError(o.name, { cause: err });
    throw err;
  });
  const old = o.old;
  const records = await buildRecords({
    curDir: join(o.path, 'cur'),
    entries: scan.entries,
    previous: (uid) => {
      if (old.length === 0) return undefined;
      const i = indexOfUid(old, uid);
      return i < 0 ? undefined : old[i];
    },
    keywords,
    cache: o.cache,
    interner: o.interner,
    lazy: o.lazy,
    markRecent: o.markRecent,
    fresh: old.length === 0,
    locate: o.locate,
  });
  return { records, uidValidity: scan.uidValidity, nextUid: scan.nextUid, fresh: freshRun(scan.entries) };
}
