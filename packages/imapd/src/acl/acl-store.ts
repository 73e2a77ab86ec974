/**
 * courierimapacl files as Courier reads and writes them: `<identifier> <rights>` lines in file order,
 * `administrators` always present with full rights, a folder without a file inheriting its parent's
 * ACL (then the parent level's courierimaphieracl/ entry, then INBOX's, then the default). Writes go
 * through a temporary file and a rename.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeMutf7 } from '@courier-ts/maildir';
import { type AclEntry, FULL_RIGHTS } from './rights.js';

export const ACL_FILE = 'courierimapacl';
export const HIERACL_DIR = 'courierimaphieracl';
const DEFAULT_ENTRIES: readonly AclEntry[] = [
  { identifier: 'owner', rights: FULL_RIGHTS },
  { identifier: 'administrators', rights: FULL_RIGHTS },
];

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

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Directory of a folder (UTF-8 store name `INBOX` / `INBOX.A.B`) inside the maildir. */
export function folderPath(root: string, name: string): string {
  return name === 'INBOX' ? root : join(root, `.${name.slice(6)}`);
}

export interface FolderAcl {
  /** What GETACL shows and rights are computed from (`administrators` forced). */
  readonly entries: AclEntry[];
  /** As found in the file it came from. */
  readonly stored: AclEntry[];
  /** From the folder's own courierimapacl (else inherited). */
  readonly own: boolean;
}

/** The effective ACL of an existing folder, and where it came from. */
export async function readFolderAcl(root: string, name: string): Promise<FolderAcl> {
  const found = await findAcl(root, name);
  return { entries: withAdministrators(found.stored), stored: found.stored, own: found.own };
}

/**
 * As Courier: reading the ACL of a folder (not INBOX) that has no courierimapacl writes the inherited
 * one into it, so later changes to the parent no longer reach it.
 */
export async function loadFolderAcl(root: string, name: string): Promise<FolderAcl> {
  const acl = await readFolderAcl(root, name);
  if (!acl.own && name !== 'INBOX') await writeFolderAcl(root, name, acl.stored);
  return acl;
}

async function findAcl(root: string, name: string): Promise<{ stored: AclEntry[]; own: boolean }> {
  const own = await readOptional(join(folderPath(root, name), ACL_FILE));
  if (own !== undefined) return { stored: parseAcl(own), own: true };
  const parts = name === 'INBOX' ? [] : name.slice(6).split('.');
  for (let n = parts.length - 1; n >= 1; n--) {
    const parent = parts.slice(0, n).join('.');
    const text =
      (await readOptional(join(root, `.${parent}`, ACL_FILE))) ??
      (await readOptional(join(root, HIERACL_DIR, encodeMutf7(parent))));
    if (text !== undefined) return { stored: parseAcl(text), own: false };
  }
  const inbox = name === 'INBOX' ? undefined : await readOptional(join(root, ACL_FILE));
  return { stored: inbox !== undefined ? parseAcl(inbox) : [...DEFAULT_ENTRIES], own: false };
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

/**
 * As Courier's LSUB reads the ACL of each subscribed name: an existing folder gets its inherited ACL
 * written into it (loadFolderAcl); a name without a maildir gets it saved as courierimaphieracl/<name>.
 */
export async function touchNameAcl(root: string, name: string, exists: boolean): Promise<void> {
  if (exists) {
    await loadFolderAcl(root, name);
    return;
  }
  if (!name.startsWith('INBOX.')) return;
  const dir = join(root, HIERACL_DIR);
  const path = join(dir, encodeMutf7(name.slice(6)));
  if ((await readOptional(path)) !== undefined) return;
  const { entries } = await readFolderAcl(root, name);
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const tmp = join(root, 'tmp', `${Date.now()}.${process.pid}.${randomBytes(4).toString('hex')}.acl`);
  await writeFile(tmp, formatAcl(entries), { mode: 0o644 });
  await rename(tmp, path).catch(async (err: unknown) => {
    await unlink(tmp).catch(() => {});
    throw err;
  });
}
