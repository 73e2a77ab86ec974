/** Deletes stale files from tmp/ (maildir_purgetmp: ctime older than 36 hours). */
import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

export const TMP_STALE_SECONDS = 36 * 60 * 60;

export async function purgeTmp(
  folderDir: string,
  nowMs: number,
  maxAgeSeconds = TMP_STALE_SECONDS,
): Promise<number> {
  const dir = join(folderDir, 'tmp');
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  const limit = nowMs - maxAgeSeconds * 1000;
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const p = join(dir, name);
    try {
      const st = await stat(p);
      if (st.isFile() && st.ctimeMs < limit) {
        await unlink(p);
        removed++;
      }
    } catch {
      // raced with another cleaner
    }
  }
  return removed;
}
