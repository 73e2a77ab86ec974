/**
 * One maildir scan under the folder lock, as imapscanclient.c's do_imapscan_maildir2:
 * read courierimapuiddb, match cur/, move new/ -> cur/, give new UIDs in file-name order,
 * rewrite the uiddb when anything changed (not when read-only).
 */
import { link, readdir, rename, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { hook, writeFileAtomic } from '../fs/atomic.js';
import type { MaildirContext } from '../fs/context.js';
import { keyOf } from '../message/filename.js';
import { formatUidDbEntries, IMAP_EPOCH, readUidDb, UIDDB_FILE } from '../state/uid-db.js';
import { mergeNames, sortNames } from './name-order.js';
import { purgeTmp } from './tmp-purge.js';

/** A message staged in tmp/ that the scan links into cur/ and numbers (APPEND/COPY). */
export interface StagedMessage {
  readonly tmpPath: string;
  /** Final cur/ name including `:2,FLAGS`. */
  readonly curName: string;
  readonly mtime?: Date;
  /** Filled by the scan. */
  uid?: number;
}

export interface ScanEntry {
  readonly uid: number;
  readonly filename: string;
  /** The unique part of the name (what courierimapuiddb stores). */
  readonly key: string;
  readonly recent: boolean;
}

export interface ScanResult {
  readonly uidValidity: number;
  readonly nextUid: number;
  /** UID order. */
  readonly entries: readonly ScanEntry[];
}

export interface ScanOptions {
  /** Do not write courierimapuiddb (EXAMINE); new/ is still moved to cur/ unless leaveNew. */
  readonly readOnly: boolean;
  /** STATUS: leave new/ alone and only count it. */
  readonly leaveNew?: boolean;
  readonly staged?: readonly StagedMessage[];
  readonly folderName: string;
  /** Told of each change the scan is about to make in cur/, new/ or courierimapuiddb (FolderChanges). */
  readonly expect?: (place: 'cur' | 'new' | 'root', name: string) => void;
  /** Told when a change announced through `expect` did not happen (someone else got there first). */
  readonly missed?: () => void;
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => !n.startsWith('.'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** How many new/ files are renamed at once (the thread pool runs them side by side). */
const MOVE_BATCH = 64;

async function moveNew(folderDir: string, options: ScanOptions): Promise<string[]> {
  const moved: string[] = [];
  for (;;) {
    const batch = (await listDir(join(folderDir, 'new'))).slice(0, MOVE_BATCH);
    if (batch.length === 0) return moved;
    let progressed = false;
    let failure: unknown;
    await Promise.all(
      batch.map(async (name) => {
        const target = name.includes(':') ? name : `${name}:2,`;
        options.expect?.('new', name);
        options.expect?.('cur', target);
        try {
          await rename(join(folderDir, 'new', name), join(folderDir, 'cur', target));
          moved.push(target);
          progressed = true;
        } catch (err) {
          options.missed?.();
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') failure ??= err;
        }
      }),
    );
    if (failure !== undefined) throw failure;
    if (!progressed) return moved;
  }
}

export async function scanFolder(
  ctx: MaildirContext,
  folderDir: string,
  options: ScanOptions,
): Promise<ScanResult> {
  const now = ctx.clock.now();
  const dbPath = join(folderDir, UIDDB_FILE);
  const curDir = join(folderDir, 'cur');
  const staged = options.staged ?? [];
  // Independent reads (all under the lock): the thread pool runs them at once. cur/ is listed
  // after the staged messages are linked into it, when there are any.
  const [read, listed] = await Promise.all([
    readUidDb(dbPath),
    staged.length === 0 ? listDir(curDir) : undefined,
    purgeTmp(folderDir, now),
  ]);
  let uidValidity: number;
  let nextUid: number;
  let known: Map<string, number>;
  let dirty = false;
  let regenerated: string | undefined;
  if (read.kind === 'ok') {
    uidValidity = read.db.uidValidity;
    nextUid = read.db.nextUid;
    known = read.db.entries;
    for (const u of known.values()) {
      // Never hand out a UID twice, even when the header's next UID is too low.
      if (u >= nextUid) {
        nextUid = u + 1;
        dirty = true;
      }
    }
  } else {
    regenerated = read.kind === 'invalid' ? read.reason : 'missing';
    uidValidity = Math.floor(now / 1000) - IMAP_EPOCH;
    nextUid = 1;
    known = new Map();
    dirty = true;
  }
  for (const s of staged) {
    const target = join(curDir, s.curName);
    options.expect?.('cur', s.curName);
    try {
      await link(s.tmpPath, target);
      await unlink(s.tmpPath);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
      await rename(s.tmpPath, target);
    }
    hook('after-staged-link');
    if (s.mtime) await utimes(target, s.mtime, s.mtime);
    s.uid = nextUid++;
    known.set(keyOf(s.curName), s.uid);
    dirty = true;
  }
  const found: ScanEntry[] = [];
  let fresh: string[] = [];
  // A key maps to one UID: a UID taken twice is a second file with that key (or a damaged uiddb).
  const usedUids = new Set<number>();
  if (known.size > 0) {
    for (const name of listed ?? (await listDir(curDir))) {
      const key = keyOf(name);
      const uid = known.get(key);
      if (uid !== undefined && !usedUids.has(uid)) {
        usedUids.add(uid);
        found.push({ uid, filename: name, key, recent: false });
      } else {
        fresh.push(name);
      }
    }
  } else {
    fresh = listed ?? (await listDir(curDir)); // no UIDs known: every message is new
  }
  if (found.length !== known.size) dirty = true;
  // A new UIDVALIDITY for a folder whose messages clients may already know is worth a warning.
  if (regenerated !== undefined && regenerated !== 'missing') {
    ctx.log.warn(
      {
        folder: options.folderName,
        path: dbPath,
        reason: regenerated,
        messages: found.length + fresh.length,
      },
      options.readOnly
        ? 'courierimapuiddb unreadable: temporary UIDVALIDITY'
        : 'courierimapuiddb unreadable: UIDVALIDITY regenerated',
    );
  } else if (regenerated === 'missing' && !options.readOnly && fresh.length > 0) {
    ctx.log.info(
      { folder: options.folderName, path: dbPath, messages: fresh.length },
      'courierimapuiddb missing: new UIDVALIDITY',
    );
  }
  const moved = options.leaveNew ? [] : await moveNew(folderDir, options);
  found.sort((a, b) => a.uid - b.uid);
  sortNames(fresh);
  sortNames(moved);
  for (const name of mergeNames(fresh, moved)) {
    found.push({ uid: nextUid++, filename: name, key: keyOf(name), recent: true });
    dirty = true;
  }
  if (options.leaveNew) nextUid += (await listDir(join(folderDir, 'new'))).length;
  if (dirty && !options.readOnly && !options.leaveNew) {
    options.expect?.('root', UIDDB_FILE);
    await writeFileAtomic(ctx, folderDir, dbPath, formatUidDbEntries(uidValidity, nextUid, found), {
      uniqTag: 'imapuid_0',
    });
    hook('after-uiddb-write');
  }
  return { uidValidity, nextUid, entries: found };
}
