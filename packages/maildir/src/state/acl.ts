/**
 * courierimapacl (per folder) and courierimaphieracl/ (hierarchy levels without a maildir), as
 * Courier 5.0's CREATE / DELETE / RENAME leave them (checked with strace against imapd 5.0.13):
 * - CREATE: see acl-walk.ts (Courier's read-with-write-back walk).
 * - DELETE N with child folders: N's ACL is saved as courierimaphieracl/N (else the entry is left).
 * - RENAME: courierimaphieracl/ entries for N and N.* are renamed with the folders.
 * Written lists are normalised like Courier's reader: `administrators` gets every right (in place,
 * else appended) and `-administrators` / `-group=administrators` are dropped.
 */
import { mkdir, readdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic.js';
import type { MaildirContext } from '../fs/context.js';
import { encodeMutf7 } from '../layout/mutf7.js';

export const ACL_FILE = 'courierimapacl';
export const HIERACL_DIR = 'courierimaphieracl';
/** Every right Courier knows (ACL_ALL). */
const ALL_RIGHTS = 'aceilrstwx';
/** What Courier assumes for INBOX when it has no courierimapacl. */
export const DEFAULT_ACL = `owner ${ALL_RIGHTS}\nadministrators ${ALL_RIGHTS}\n`;

export async function readAclText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** courierimaphieracl/ path of a level (`a.b`, no `INBOX.`), by its mUTF-7 name like imapd's ACL code. */
export function hierAclPath(root: string, level: string): string {
  return join(root, HIERACL_DIR, encodeMutf7(level));
}

/** Courier's list after reading (maildir_acl_read_check + maildir_aclt_add_default_admin). */
export function normalizeAcl(text: string): string {
  const entries: Array<[string, string]> = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const sp = line.indexOf(' ');
    const id = sp < 0 ? line : line.slice(0, sp);
    const rights = sp < 0 ? '' : line.slice(sp).replace(/^ +/, '');
    if (id === '') continue;
    const at = entries.findIndex((e) => e[0] === id);
    if (at >= 0) entries[at] = [id, rights];
    else entries.push([id, rights]);
  }
  const adminId = entries.some((e) => e[0] === 'group=administrators')
    ? 'group=administrators'
    : 'administrators';
  const at = entries.findIndex((e) => e[0] === adminId);
  const extra = at < 0 ? '' : [...entries[at]![1]].filter((c) => !ALL_RIGHTS.includes(c)).join('');
  const admin: [string, string] = [adminId, ALL_RIGHTS + extra];
  if (at >= 0) entries[at] = admin;
  else entries.push(admin);
  return entries
    .filter((e) => e[0] !== '-administrators' && e[0] !== '-group=administrators')
    .map(([id, rights]) => `${id} ${rights}\n`)
    .join('');
}

/**
 * ACL a new folder inherits: the parent folder's courierimapacl, else the parent level's
 * courierimaphieracl entry, else (INBOX) the default.
 */
export async function inheritedAcl(root: string, imapName: string): Promise<string> {
  const parts = imapName.split('.');
  for (let n = parts.length - 1; n >= 2; n--) {
    const parent = parts.slice(1, n).join('.');
    const own = await readAclText(join(root, `.${parent}`, ACL_FILE));
    if (own !== undefined) return own;
    const hier = await readAclText(hierAclPath(root, parent));
    if (hier !== undefined) return hier;
  }
  return (await readAclText(join(root, ACL_FILE))) ?? DEFAULT_ACL;
}

/** Writes courierimaphieracl/<level> (replacing it), creating the directory 0755 as Courier. */
export async function writeHierAcl(
  ctx: MaildirContext,
  root: string,
  level: string,
  acl: string,
  encode = true,
): Promise<void> {
  await mkdir(join(root, HIERACL_DIR), { mode: 0o755 }).catch(() => {});
  const target = encode ? hierAclPath(root, level) : join(root, HIERACL_DIR, level);
  await writeFileAtomic(ctx, root, target, acl, { uniqTag: 'acl' });
}

/** The ACL DELETE saves for a folder that still has children: its own, else what it inherits. */
export async function aclForDelete(root: string, imapName: string, folderDir: string): Promise<string> {
  const own = await readAclText(join(folderDir, ACL_FILE));
  return normalizeAcl(own ?? (await inheritedAcl(root, imapName)));
}

/** RENAME: moves courierimaphieracl/<from> and <from>.* to <to>...; existing targets are replaced. */
export async function renameHierAcls(root: string, fromLevel: string, toLevel: string): Promise<void> {
  const from = encodeMutf7(fromLevel);
  const to = encodeMutf7(toLevel);
  let names: string[];
  try {
    names = await readdir(join(root, HIERACL_DIR));
  } catch {
    return;
  }
  for (const n of names) {
    if (n !== from && !n.startsWith(`${from}.`)) continue;
    await rename(join(root, HIERACL_DIR, n), join(root, HIERACL_DIR, to + n.slice(from.length))).catch(
      () => {},
    );
  }
}
