/** Atomic replacement of state files: write `<folder>/tmp/<unique name>`, then rename over the target. */
import { open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpName } from '../message/unique-name.js';
import type { MaildirContext } from './context.js';

export interface AtomicWriteOptions {
  /** File mode before umask (default 0644, like Courier's fopen/tmpcreate). */
  readonly mode?: number;
  /** `_<uniq>` tag of the tmp name (Courier: `imapuid_N`, `pop3`...). */
  readonly uniqTag?: string;
  /** fsync before the rename. */
  readonly fsync?: boolean;
}

/** Writes `data` to `target` atomically through `folderDir/tmp/`. */
export async function writeFileAtomic(
  ctx: MaildirContext,
  folderDir: string,
  target: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const tmp = join(folderDir, 'tmp', tmpName(ctx.unique(options.uniqTag ?? '')));
  const fh = await open(tmp, 'wx', options.mode ?? 0o644);
  try {
    try {
      await fh.writeFile(data);
      if (options.fsync) await fh.sync();
    } finally {
      await fh.close();
    }
    hook('after-state-tmp');
    await rename(tmp, target);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw err;
  }
}

/**
 * Crash-injection hook for tests: when COURIER_TS_MAILDIR_KILL_AT names this point,
 * the process kills itself with SIGKILL (no cleanup, like a power cut for our state).
 */
export function hook(point: string): void {
  if (process.env.COURIER_TS_MAILDIR_KILL_AT === point) process.kill(process.pid, 'SIGKILL');
}
