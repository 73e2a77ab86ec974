/**
 * courier-ts.snapshot: the whole message list of a folder as of a stamp (directory and uiddb
 * mtimes), written when the last session of a process closes the folder. A later open whose stamp
 * still matches uses it instead of reading the uiddb, listing cur/ and reading keywords — nothing
 * changed on disk. Sizes not measured yet are written as NaN (format 2). Our file only; a
 * mismatching or damaged snapshot is ignored (the normal scan runs).
 */
import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic.js';
import type { MaildirContext } from '../fs/context.js';
import { sizeFromName } from '../message/filename.js';
import { FolderCache } from './folder-cache.js';
import type { FolderStamp } from './folder-stamp.js';
import { type FlagInterner, type MessageRecord, makeRecord } from './message-info.js';

export const SNAPSHOT_FILE = 'courier-ts.snapshot';
const MAGIC = 'courier-ts-snapshot 2';

export interface SnapshotRow {
  readonly uid: number;
  readonly filename: string;
  readonly size: number;
  readonly lfs: number;
  readonly mtimeMs: number;
  readonly keywords: readonly string[];
}

export interface Snapshot {
  readonly uidValidity: number;
  readonly nextUid: number;
  readonly rows: SnapshotRow[];
}

export async function writeSnapshot(
  ctx: MaildirContext,
  folderDir: string,
  stamp: FolderStamp,
  uidValidity: number,
  nextUid: number,
  records: readonly MessageRecord[],
): Promise<void> {
  const lines = [`${MAGIC}\t${stamp.parts}\t${uidValidity}\t${nextUid}\t${records.length}\n`];
  for (const r of records) {
    if (r.filename.includes('\t') || r.filename.includes('\n')) return; // not representable: no snapshot
    const kw = [...r.keywords].join('\t');
    lines.push(`${r.uid}\t${r.filename}\t${r.size}\t${r.lfs}\t${r.mtimeMs}${kw ? `\t${kw}` : ''}\n`);
  }
  await writeFileAtomic(ctx, folderDir, join(folderDir, SNAPSHOT_FILE), lines.join(''), {
    uniqTag: 'ctsnap',
  });
}

export async function discardSnapshot(folderDir: string): Promise<void> {
  await unlink(join(folderDir, SNAPSHOT_FILE)).catch(() => {});
}

const NO_KEYWORDS: string[] = [];

/** A decimal integer (optionally negative) in buf[start, end); NaN for anything else ('NaN' included). */
function numberAt(buf: Buffer, start: number, end: number): number {
  let i = start;
  let sign = 1;
  if (buf[i] === 0x2d) {
    sign = -1;
    i++;
  }
  if (i >= end) return Number.NaN;
  let n = 0;
  for (; i < end; i++) {
    const d = buf[i]! - 0x30;
    if (d < 0 || d > 9) return Number.NaN;
    n = n * 10 + d;
  }
  return sign * n;
}

/**
 * The snapshot, when it was taken at exactly `stamp`; undefined otherwise. `row` turns each line
 * into what the caller keeps (no intermediate objects for a 100,000-message folder).
 */
export async function readSnapshot<T = SnapshotRow>(
  folderDir: string,
  stamp: FolderStamp,
  row: (r: SnapshotRow) => T = (r) => r as T,
): Promise<{ readonly uidValidity: number; readonly nextUid: number; readonly rows: T[] } | undefined> {
  if (!stamp.safe || !stamp.uiddb) return undefined;
  let buf: Buffer;
  try {
    buf = await readFile(join(folderDir, SNAPSHOT_FILE));
  } catch {
    return undefined;
  }
  const nl = buf.indexOf(10);
  if (nl < 0) return undefined;
  const head = buf.toString('utf8', 0, nl).split('\t');
  if (head.length !== 5 || head[0] !== MAGIC || head[1] !== stamp.parts) return undefined;
  const uidValidity = Number(head[2]);
  const nextUid = Number(head[3]);
  const count = Number(head[4]);
  const rows: T[] = [];
  const tabs: number[] = [];
  let pos = nl + 1;
  // Numbers are read from the bytes and each string decoded on its own: no string keeps the
  // whole file alive.
  while (pos < buf.length) {
    const end = buf.indexOf(10, pos);
    if (end < 0) return undefined;
    tabs.length = 0;
    for (let t = buf.indexOf(9, pos); t >= 0 && t < end; t = buf.indexOf(9, t + 1)) tabs.push(t);
    if (tabs.length < 4) return undefined;
    tabs.push(end);
    const uid = numberAt(buf, pos, tabs[0]!);
    if (!Number.isSafeInteger(uid) || uid <= 0) return undefined;
    const keywords: string[] = tabs.length > 5 ? [] : NO_KEYWORDS;
    for (let k = 4; k < tabs.length - 1; k++) keywords.push(buf.toString('utf8', tabs[k]! + 1, tabs[k + 1]!));
    rows.push(
      row({
        uid,
        filename: buf.toString('utf8', tabs[0]! + 1, tabs[1]!),
        size: numberAt(buf, tabs[1]! + 1, tabs[2]!),
        lfs: numberAt(buf, tabs[2]! + 1, tabs[3]!),
        mtimeMs: numberAt(buf, tabs[3]! + 1, tabs[4]!),
        keywords,
      }),
    );
    pos = end + 1;
  }
  if (rows.length !== count || !Number.isSafeInteger(uidValidity) || !Number.isSafeInteger(nextUid))
    return undefined;
  return { uidValidity, nextUid, rows };
}

/**
 * A folder index's records from the snapshot taken at exactly `stamp` (undefined when there is
 * none). Messages not measured when it was written may be in our cache by now: they get its
 * details, and the cache (its loaded entries dropped) comes back for the index to keep.
 */
export async function snapshotRecords(
  ctx: MaildirContext,
  folderDir: string,
  stamp: FolderStamp,
  interner: FlagInterner,
): Promise<
  | {
      readonly uidValidity: number;
      readonly nextUid: number;
      readonly records: MessageRecord[];
      readonly cache: FolderCache | undefined;
    }
  | undefined
> {
  const snap = await readSnapshot(folderDir, stamp, (r) =>
    makeRecord(
      interner,
      r.uid,
      r.filename,
      { size: r.size, lfs: r.lfs, mtimeMs: r.mtimeMs },
      r.keywords,
      false,
    ),
  );
  if (!snap) return undefined;
  const records = snap.rows;
  let cache: FolderCache | undefined;
  if (records.some((r) => !r.measured)) {
    cache = await FolderCache.load(ctx, folderDir);
    for (const [i, r] of records.entries()) {
      if (r.measured) continue;
      const hit = cache.get(r.key);
      const hint = sizeFromName(r.key);
      if (hit && (hint === undefined || hint === hit.size)) records[i] = r.withMeta(hit);
    }
    cache.dropLoaded();
  }
  return { uidValidity: snap.uidValidity, nextUid: snap.nextUid, records, cache };
}
