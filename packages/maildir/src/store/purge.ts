/** IMAP_EMPTYTRASH: delete messages of a folder whose ctime is older than N days (login/logout). */
import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { keyOf, sizeFromName } from '../message/filename.js';
import { addQuotaLine, countsForQuota } from '../state/maildirsize.js';

export interface PurgeResult {
  readonly removed: number;
}

export async function purgeOldMessages(
  root: string,
  folderDir: string,
  maxAgeDays: number,
  nowMs: number,
  countsInQuota: boolean,
): Promise<PurgeResult> {
  const limit = nowMs - maxAgeDays * 86400 * 1000;
  let removed = 0;
  let bytes = 0;
  for (const sub of ['cur', 'new']) {
    const dir = join(folderDir, sub);
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      if (name.startsWith('.')) continue;
      const p = join(dir, name);
      try {
        const st = await stat(p);
        if (st.ctimeMs >= limit) continue;
        await unlink(p);
        removed++;
        if (countsInQuota && countsForQuota(name)) bytes += sizeFromName(keyOf(name)) ?? st.size;
      } catch {
        // raced with another process
      }
    }
  }
  if (countsInQuota && removed > 0) await addQuotaLine(root, -bytes, -removed);
  return { removed };
}
