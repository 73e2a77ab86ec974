/** courierimapacl (per folder) and courierimaphieracl/ (hierarchy levels without a maildir). */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic.js';
import type { MaildirContext } from '../fs/context.js';
import { encodeMutf7 } from '../layout/mutf7.js';

export const ACL_FILE = 'courierimapacl';
export const HIERACL_DIR = 'courierimaphieracl';
/** What Courier assumes for INBOX when it has no courierimapacl. */
export const DEFAULT_ACL = 'owner aceilrstwx\nadministrators aceilrstwx\n';

export async function readAclText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
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
    const hier = await readAclText(join(root, HIERACL_DIR, encodeMutf7(parent)));
    if (hier !== undefined) return hier;
  }
  return (await readAclText(join(root, ACL_FILE))) ?? DEFAULT_ACL;
}

/** Writes courierimaphieracl/<level> for missing intermediate levels, as Courier's CREATE does. */
export async function writeHierAcls(
  ctx: MaildirContext,
  root: string,
  levels: readonly string[],
  acl: string,
): Promise<void> {
  if (levels.length === 0) return;
  const dir = join(root, HIERACL_DIR);
  await mkdir(dir, { mode: 0o755 }).catch(() => {});
  for (const level of levels) {
    const path = join(dir, encodeMutf7(level));
    if ((await readAclText(path)) === undefined) await writeFileAtomic(ctx, root, path, acl);
  }
}
