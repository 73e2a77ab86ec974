/**
 * IMAP_EMPTYTRASH (`Trash:7,Sent:30`): at login and logout Courier removes the messages of each
 * named folder whose file ctime is more than that many days old.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Maildir, MessageInfo } from '@courier-ts/maildir';
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

export async function emptyTrash(
  maildir: Maildir,
  rules: readonly TrashRule[],
  now: number,
  log: Logger,
): Promise<void> {
  for (const r of rules) {
    const name = r.folder.toUpperCase() === 'INBOX' ? 'INBOX' : `INBOX.${r.folder}`;
    try {
      if (!(await maildir.folderExists(name))) continue;
      const folder = await maildir.openFolder(name, { details: 'lazy' });
      try {
        const cutoff = now - r.days * 86_400_000;
        const old: MessageInfo[] = [];
        for (const m of folder.messages) {
          const st = await stat(join(folder.path, 'cur', m.filename)).catch(() => undefined);
          if (st && st.ctimeMs < cutoff) old.push(m);
        }
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
