/**
 * ACLs as the commands see them. Reading is @courier-ts/maildir's `Maildir.readAcl` (Courier's
 * maildir_acl_read: inheritance from the parent level, `administrators` forced, and the save-on-read
 * of an inherited ACL into the folder or courierimaphieracl/); this module only parses its text into
 * entries and writes what SETACL / DELETEACL decide (the maildir package has no ACL write yet).
 */
import { randomBytes } from 'node:crypto';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Maildir, openMaildir } from '@courier-ts/maildir';
import { type AclEntry, FULL_RIGHTS } from './rights.js';

export const ACL_FILE = 'courierimapacl';

/** What ACL reads need of a maildir. */
export type AclSource = Pick<Maildir, 'readAcl' | 'path'>;

/**
 * A maildir, or (for callers that still hold only its path) the path, opened for the read. Opening is
 * cheap (no folder is read), but callers should pass `ctx.user().maildir`.
 */
export async function aclSource(source: AclSource | string): Promise<AclSource> {
  return typeof source === 'string' ? openMaildir(source) : source;
}

export function parseAcl(text: string): AclEntry[] {
  const out: AclEntry[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\S+)[ \t]+(\S*)\s*$/.exec(line);
    if (m && !out.some((e) => e.identifier === m[1])) out.push({ identifier: m[1]!, rights: m[2]! });
  }
  return out;
}

export function formatAcl(entries: readonly AclEntry[]): string {
  return entries.map((e) => `${e.identifier} ${e.rights}\n`).join('');
}

/** Courier shows (and enforces) `administrators` with full rights whatever the file says. */
export function withAdministrators(entries: readonly AclEntry[]): AclEntry[] {
  const out = entries.filter((e) => e.identifier !== 'administrators');
  const i = entries.findIndex((e) => e.identifier === 'administrators');
  const admin = { identifier: 'administrators', rights: FULL_RIGHTS };
  if (i < 0) out.push(admin);
  else out.splice(i, 0, admin);
  return out;
}

/** Directory of a folder (UTF-8 store name `INBOX` / `INBOX.A.B`) inside the maildir. */
export function folderPath(root: string, name: string): string {
  return name === 'INBOX' ? root : join(root, `.${name.slice(6)}`);
}

/**
 * The ACL of folder `name` (UTF-8 store name; it need not exist) as GETACL shows it and rights are
 * computed from, reading as Courier does (an inherited ACL is saved on the way).
 */
export async function readFolderAcl(source: AclSource | string, name: string): Promise<AclEntry[]> {
  const md = await aclSource(source);
  return withAdministrators(parseAcl(await md.readAcl(name)));
}

/** Replaces the folder's courierimapacl (tmp file in the folder + rename). */
export async function writeFolderAcl(
  root: string,
  name: string,
  entries: readonly AclEntry[],
): Promise<void> {
  const dir = folderPath(root, name);
  const tmp = join(dir, 'tmp', `${Date.now()}.${process.pid}.${randomBytes(4).toString('hex')}.acl`);
  await writeFile(tmp, formatAcl(entries), { mode: 0o644 });
  try {
    await rename(tmp, join(dir, ACL_FILE));
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw err;
  }
}
