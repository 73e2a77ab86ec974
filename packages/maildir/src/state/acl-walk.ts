/**
 * Courier's maildir_acl_read (5.0.13): a folder level without its own courierimapacl or
 * courierimaphieracl/ entry takes its parent's ACL and saves it, into `.<level>/courierimapacl` when
 * that folder exists, else as courierimaphieracl/<level>. Levels are the raw on-disk strings: Courier
 * walks the mUTF-7 form of the IMAP name for the new folder and its parent, which is why a non-ASCII
 * folder ends up with courierimaphieracl/ entries under mUTF-7 names and no courierimapacl.
 *
 * CREATE N (strace of imapd 5.0.13):
 * 1. read the parent level (mUTF-7), and the existing UTF-8 parent folder (LIST's view);
 * 2. N already a hierarchy node (has child folders): read N's ACL first, mkdir, write it into N;
 * 3. else mkdir, then read N (mUTF-7) with write-back.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic.js';
import type { MaildirContext } from '../fs/context.js';
import { encodeMutf7 } from '../layout/mutf7.js';
import { ACL_FILE, DEFAULT_ACL, HIERACL_DIR, normalizeAcl, readAclText, writeHierAcl } from './acl.js';

async function isDir(path: string): Promise<boolean> {
  return stat(path).then(
    (st) => st.isDirectory(),
    () => false,
  );
}

function parentLevel(level: string): string {
  const i = level.lastIndexOf('.');
  return i < 0 ? '' : level.slice(0, i);
}

/** maildir_acl_write: into the folder when `.<level>/tmp` exists, else courierimaphieracl/<level>. */
async function saveLevelAcl(ctx: MaildirContext, root: string, level: string, acl: string): Promise<void> {
  const dir = join(root, `.${level}`);
  if (await isDir(join(dir, 'tmp')))
    await writeFileAtomic(ctx, dir, join(dir, ACL_FILE), acl, { uniqTag: 'acl' });
  else await writeHierAcl(ctx, root, level, acl, false);
}

/** The ACL of a level ('' = INBOX), normalised, saving inherited ACLs on the way as Courier does. */
export async function courierReadAcl(ctx: MaildirContext, root: string, level: string): Promise<string> {
  if (level === '') return normalizeAcl((await readAclText(join(root, ACL_FILE))) ?? DEFAULT_ACL);
  const own =
    (await readAclText(join(root, `.${level}`, ACL_FILE))) ??
    (await readAclText(join(root, HIERACL_DIR, level)));
  if (own !== undefined) return normalizeAcl(own);
  const acl = await courierReadAcl(ctx, root, parentLevel(level));
  await saveLevelAcl(ctx, root, level, acl);
  return acl;
}

/**
 * ACL work of CREATE before the folder exists; returns what the new folder's courierimapacl must
 * hold when it is a hierarchy node already, else undefined (call `createAclAfterMkdir`).
 */
export async function createAclBeforeMkdir(
  ctx: MaildirContext,
  root: string,
  level: string,
  hasChildren: boolean,
): Promise<string | undefined> {
  const utf8Parent = parentLevel(level);
  const mutf7Parent = encodeMutf7(utf8Parent);
  if (mutf7Parent !== '') await courierReadAcl(ctx, root, mutf7Parent);
  if (utf8Parent !== mutf7Parent && (await isDir(join(root, `.${utf8Parent}`, 'tmp'))))
    await courierReadAcl(ctx, root, utf8Parent);
  return hasChildren ? courierReadAcl(ctx, root, encodeMutf7(level)) : undefined;
}

export async function createAclAfterMkdir(ctx: MaildirContext, root: string, level: string): Promise<void> {
  await courierReadAcl(ctx, root, encodeMutf7(level));
}
