/**
 * After an EXPUNGE of ours: courierimapuiddb without the removed messages, as the scan Courier runs
 * after its own EXPUNGE leaves it, but without listing cur/ (the folder index knows what it removed).
 * Every other line stays as it is on disk (rows another process added meanwhile included).
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic.js';
import type { MaildirContext } from '../fs/context.js';
import { withMaildirLock } from '../fs/lock.js';
import { formatUidDb, readUidDb, UIDDB_FILE } from '../state/uid-db.js';

/** Drops these keys from the folder's courierimapuiddb; `expect` is told before the file is replaced. */
export async function pruneUidDb(
  ctx: MaildirContext,
  folderDir: string,
  keys: readonly string[],
  expect: () => void,
): Promise<void> {
  if (keys.length === 0) return;
  await withMaildirLock(ctx, folderDir, async () => {
    const path = join(folderDir, UIDDB_FILE);
    const read = await readUidDb(path);
    if (read.kind !== 'ok') return; // the next scan rebuilds it, as Courier's would
    let removed = false;
    for (const k of keys) if (read.db.entries.delete(k)) removed = true;
    if (!removed) return;
    const rows: [number, string][] = [];
    for (const [k, u] of read.db.entries) rows.push([u, k]);
    rows.sort((a, b) => a[0] - b[0]);
    expect();
    await writeFileAtomic(ctx, folderDir, path, formatUidDb(read.db.uidValidity, read.db.nextUid, rows), {
      uniqTag: 'imapuid_0',
    });
  });
}
