/**
 * One maildir scan under the folder lock, as imapscanclient.c's do_imapscan_maildir2:
 * read courierimapuiddb, match cur/, move new/ -> cur/, give new UIDs in file-name order,
 * rewrite the uiddb when anything changed (not when read-only).
 */
import { link, readdir, rename, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { hook, writeFileAtomic } from '../fs/atomic.js';
import type { MaildirContext } from '../fs/context.js';
import { compareNames, keyOf } from '../message/filename.js';
import { formatUidDb, IMAP_EPOCH, readUidDb, UIDDB_FILE } from '../state/uid-db.js';
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
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => !n.startsWith('.'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** Leading decimal number of a name that starts with a digit (what atol gives), else NaN. */
function leadingDigits(name: string): number {
  let n = Number.NaN;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    n = i === 0 ? c : n * 10 + c;
  }
  return n;
}

/**
 * Sorts in place in Courier's order (compareNames), computing each name's leading number once
 * instead of twice per comparison: 10,000 new names sort in a third of the time. Names without a
 * leading digit, and ties, are left to compareNames, so the order is exactly its order.
 */
function sortNames(names: string[]): void {
  const keyed = names.map((name) => ({ name, n: leadingDigits(name) }));
  keyed.sort((a, b) =>
    a.n !== b.n && !Number.isNaN(a.n) && !Number.isNaN(b.n) ? a.n - b.n : compareNames(a.name, b.name),
  );
  for (let i = 0; i < names.length; i++) names[i] = keyed[i]!.name;
}

async function moveNew(folderDir: string): Promise<string[]> {
  const moved: string[] = [];
  for (;;) {
    const batch = (await listDir(join(folderDir, 'new'))).slice(0, 20);
    if (batch.length === 0) return moved;
    let progressed = false;
    for (const name of batch) {
      const target = name.includes(':') ? name : `${name}:2,`;
      try {
        await rename(join(folderDir, 'new', name), join(folderDir, 'cur', target));
        moved.push(target);
        progressed = true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    if (!progressed) return moved;
  }
}

export async function scanFolder(
  ctx: MaildirContext,
  folderDir: string,
  options: ScanOptions,
): Promise<ScanResult> {
  const now = ctx.clock.now();
  await purgeTmp(folderDir, now);
  const dbPath = join(folderDir, UIDDB_FILE);
  const read = await readUidDb(dbPath);
  let uidValidity: number;
  let nextUid: number;
  const known = new Map<string, number>();
  let dirty = false;
  let regenerated: string | undefined;
  if (read.kind === 'ok') {
    uidValidity = read.db.uidValidity;
    nextUid = read.db.nextUid;
    for (const [k, u] of read.db.entries) {
      known.set(k, u);
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
    dirty = true;
  }
  for (const s of options.staged ?? []) {
    const target = join(folderDir, 'cur', s.curName);
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
  const fresh: string[] = [];
  const seen = new Set<string>();
  const usedUids = new Set<number>();
  for (const name of await listDir(join(folderDir, 'cur'))) {
    const key = keyOf(name);
    const uid = known.get(key);
    if (uid !== undefined && !seen.has(key) && !usedUids.has(uid)) {
      seen.add(key);
      usedUids.add(uid);
      found.push({ uid, filename: name, recent: false });
    } else {
      fresh.push(name);
    }
  }
  if (seen.size !== known.size) dirty = true;
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
  if (!options.leaveNew) fresh.push(...(await moveNew(folderDir)));
  found.sort((a, b) => a.uid - b.uid);
  sortNames(fresh);
  for (const name of fresh) {
    found.push({ uid: nextUid++, filename: name, recent: true });
    dirty = true;
  }
  if (options.leaveNew) nextUid += (await listDir(join(folderDir, 'new'))).length;
  if (dirty && !options.readOnly && !options.leaveNew) {
    const rows = found.map((e) => [e.uid, keyOf(e.filename)] as const);
    await writeFileAtomic(ctx, folderDir, dbPath, formatUidDb(uidValidity, nextUid, rows), {
      uniqTag: 'imapuid_0',
    });
    hook('after-uiddb-write');
  }
  return { uidValidity, nextUid, entries: found };
}
