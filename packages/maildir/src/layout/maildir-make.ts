/** Creating maildirs and folders as Courier's maildir_make (maildirmake, CREATE). */
import { chmod, mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';

export interface MakeModes {
  /** Mode of the maildir/folder directory itself. */
  readonly dirMode: number;
  /** Mode of tmp/, new/, cur/. */
  readonly subdirMode: number;
  /** Create the empty `maildirfolder` marker (0600). */
  readonly folder: boolean;
}

/**
 * mkdir DIR (fails with EEXIST when present), then tmp, new, cur and the marker.
 * Modes are applied exactly (chmod), independent of the process umask.
 */
export async function makeMaildirDirs(dir: string, modes: MakeModes): Promise<void> {
  await mkdir(dir, { mode: modes.dirMode });
  await chmod(dir, modes.dirMode);
  for (const sub of ['tmp', 'new', 'cur']) {
    const p = join(dir, sub);
    await mkdir(p, { mode: modes.subdirMode });
    await chmod(p, modes.subdirMode);
  }
  if (modes.folder) {
    const fh = await open(join(dir, 'maildirfolder'), 'w', 0o600);
    await fh.close();
    await chmod(join(dir, 'maildirfolder'), 0o600);
  }
}
