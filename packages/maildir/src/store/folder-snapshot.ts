/**
 * courier-ts.snapshot: the whole message list of a folder as of a stamp (directory and uiddb
 * mtimes), written when a session closes. A later open whose stamp still matches uses it
 * instead of reading the uiddb, listing cur/ and reading keywords — nothing changed on disk.
 * Our file only; a mismatching or damaged snapshot is ignored (the normal scan runs).
 */
import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic.js';
import type { MaildirContext } from '../fs/context.js';
import type { FolderStamp } from './folder-stamp.js';
import type { MessageRecord } from './message-info.js';

export const SNAPSHOT_FILE = 'courier-ts.snapshot';
const MAGIC = 'courier-ts-snapshot 1';

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

/** The snapshot, when it was taken at exactly `stamp`; undefined otherwise. */
/** The snapshot, when it was taken at exactly `stamp`; undefined otherwise. */
export async function readSnapshot(folderDir: string, stamp: FolderStamp): Promise<Snapshot | undefined> {
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
  const rows: SnapshotRow[] = [];
  let pos = nl + 1;
  // Fields are decoded one by one from the buffer: no string keeps the whole file alive.
  while (pos < buf.length) {
    const end = buf.indexOf(10, pos);
    if (end < 0) return undefined;
    const f: string[] = [];
    let start = pos;
    for (;;) {
      const tab = buf.indexOf(9, start);
      if (tab < 0 || tab > end) {
        f.push(buf.toString('utf8', start, end));
        break;
      }
      f.push(buf.toString('utf8', start, tab));
      start = tab + 1;
    }
    pos = end + 1;
    if (f.length < 5) return undefined;
    const row = {
      uid: Number(f[0]),
      filename: f[1]!,
      size: Number(f[2]),
      lfs: Number(f[3]),
      mtimeMs: Number(f[4]),
      keywords: f.slice(5),
    };
    if (!Number.isSafeInteger(row.uid) || row.uid <= 0) return undefined;
    rows.push(row);
  }
  if (rows.length !== count || !Number.isSafeInteger(uidValidity) || !Number.isSafeInteger(nextUid))
    return undefined;
  return { uidValidity, nextUid, rows };
}
