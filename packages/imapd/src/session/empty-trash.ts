/**
 * IMAP_EMPTYTRASH (`Trash:7,Sent:30`): at login and logout Courier removes the messages of each
 * named folder whose file ctime is more than that many days old.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { folderDirName, type Maildir, type MessageInfo } from '@courier-ts/maildir';
import type { Logger } from 'pino';

export interface TrashRule {
  readonly folder: string;
  readonly days: number;
}

/** `Trash:7,Sent:30` -> rules (malformed entries are skipped). */
export function parseEmptyTrash(value: string): TrashRule[] {
  const out: TrashRule[] = [];
  for (const part of value.split(',')) {
    const m = /^\s*([^:]+):(\d+)\s*$/.exec(part);
    if (m && Number(m[2]) > 0) out.push({ folder: m[1]!, days: Number(m[2]) });
  }
  return out;
}

/** Files stat'ed at once while looking for old messages. */
const STAT_BATCH = 64;

/**
 * What the last look at each trash folder found: the oldest ctime there, while its cur/ and new/
 * were as `stamp` says. A file's ctime only ever moves forward and any file coming or going changes
 * its directory's mtime, so while the stamp holds nothing there is older than `oldest`: a login
 * then costs two stats, not one per message. One memo per process, shared by its sessions.
 */
export class TrashMemo {
  private readonly seen = new Map<string, { readonly stamp: string; readonly oldest: number }>();

  oldest(dir: string, stamp: string): number | undefined {
    const s = this.seen.get(dir);
    return s?.stamp === stamp ? s.oldest : undefined;
  }

  remember(dir: string, stamp: string, oldest: number): void {
    this.seen.set(dir, { stamp, oldest });
  }
}

async function dirStamp(dirs: readonly string[]): Promise<string> {
  const parts = await Promise.all(
    dirs.map((d) =>
      stat(d, { bigint: true }).then(
        (st) => `${st.ino}:${st.mtimeNs}`,
        () => '-',
      ),
    ),
  );
  return parts.join('/');
}

/** The oldest ctime of the message files in `dirs` (Infinity when there are none). */
async function oldestCtime(dirs: readonly string[]): Promise<number> {
  let oldest = Number.POSITIVE_INFINITY;
  for (const dir of dirs) {
    const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => !n.startsWith('.'));
    for (let i = 0; i < names.length; i += STAT_BATCH) {
      const batch = names.slice(i, i + STAT_BATCH);
      const stats = await Promise.all(batch.map((n) => stat(join(dir, n)).catch(() => undefined)));
      for (const st of stats) if (st !== undefined && st.ctimeMs < oldest) oldest = st.ctimeMs;
    }
  }
  return oldest;
}

/** Whether some message of the folder in `dir` has a ctime before `cutoff`. */
async function anyOlder(dir: string, cutoff: number, memo: TrashMemo | undefined): Promise<boolean> {
  const dirs = [join(dir, 'cur'), join(dir, 'new')];
  // The stamp is taken first: a file arriving during the look changes it for next time.
  const stamp = memo ? await dirStamp(dirs) : '';
  const known = memo?.oldest(dir, stamp);
  if (known !== undefined) return known < cutoff;
  const oldest = await oldestCtime(dirs);
  if (oldest >= cutoff) memo?.remember(dir, stamp, oldest);
  return oldest < cutoff;
}

/** ctimes of these messages, `STAT_BATCH` at a time; undefined for a file gone meanwhile. */
async function ctimes(curDir: string, messages: readonly MessageInfo[]): Promise<(number | undefined)[]> {
  const out: (number | undefined)[] = [];
  for (let i = 0; i < messages.length; i += STAT_BATCH) {
    const batch = messages.slice(i, i + STAT_BATCH);
    const stats = await Promise.all(batch.map((m) => stat(join(curDir, m.filename)).catch(() => undefined)));
    for (const st of stats) out.push(st?.ctimeMs);
  }
  return out;
}

export async function emptyTrash(
  maildir: Maildir,
  rules: readonly TrashRule[],
  now: number,
  log: Logger,
  memo?: TrashMemo,
): Promise<void> {
  for (const r of rules) {
    const name = r.folder.toUpperCase() === 'INBOX' ? 'INBOX' : `INBOX.${r.folder}`;
    try {
      if (!(await maildir.folderExists(name))) continue;
      const cutoff = now - r.days * 86_400_000;
      // Most logins find nothing to purge: look at the files first, open (and lock) the folder
      // only when some message is old enough.
      if (!(await anyOlder(join(maildir.path, folderDirName(name)), cutoff, memo))) continue;
      const folder = await maildir.openFolder(name, { details: 'lazy' });
      try {
        const times = await ctimes(join(folder.path, 'cur'), folder.messages);
        const old = folder.messages.filter((_, i) => {
          const t = times[i];
          return t !== undefined && t < cutoff;
        });
        if (old.length > 0) {
          await folder.expunge(old);
          log.debug({ folder: name, removed: old.length }, 'IMAP_EMPTYTRASH');
        }
      } finally {
        await folder.close();
      }
    } catch (err) {
      log.warn({ err, folder: name }, `IMAP_EMPTYTRASH: cannot purge ${name}`);
    }
  }
}
