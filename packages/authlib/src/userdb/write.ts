import { chmod, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Replace a userdb file atomically: write `.tmp.<name>` (0600), keep the old file's mode, rename. */
export async function replaceUserdbFile(path: string, text: string): Promise<void> {
  const tmp = join(dirname(path), `.tmp.${basename(path)}`);
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
  const mode = await stat(path).then(
    (s) => s.mode & 0o777,
    () => 0o600,
  );
  await chmod(tmp, mode);
  await rename(tmp, path).catch(async (err: unknown) => {
    await unlink(tmp).catch(() => undefined);
    throw err;
  });
}
