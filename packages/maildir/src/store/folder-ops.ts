/** CREATE / DELETE / RENAME / LIST of Maildir++ folders (flat `.A.B` directories). */
import { mkdir, opendir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CannotDeleteFolderError,
  CannotRenameFolderError,
  FolderExistsError,
  NoSuchFolderError,
} from '../errors.js';
import type { MaildirContext } from '../fs/context.js';
import { folderDirName, folderNameFromDir, isInbox, normalizeFolderName } from '../layout/folder-name.js';
import { makeMaildirDirs } from '../layout/maildir-make.js';
import { tmpName } from '../message/unique-name.js';
import { ACL_FILE, aclForDelete, renameHierAcls, writeHierAcl } from '../state/acl.js';
import { createAclAfterMkdir, createAclBeforeMkdir } from '../state/acl-walk.js';
import { KEYWORD_DIR } from '../state/keywords.js';
import { formatUidDb, IMAP_EPOCH, UIDDB_FILE } from '../state/uid-db.js';
import type { FolderListEntry } from '../types.js';

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Folder directory names present on disk, in directory order. */
export async function folderDirs(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(root, { withFileTypes: true })) {
    if (!e.name.startsWith('.') || e.name === '.' || e.name === '..') continue;
    if (e.isDirectory() || (e.isSymbolicLink() && (await isDir(join(root, e.name))))) out.push(e.name);
  }
  return out;
}

export async function folderExists(root: string, name: string): Promise<boolean> {
  const dir = folderDirName(name);
  return isDir(join(root, dir, 'cur'));
}

export async function createFolder(ctx: MaildirContext, root: string, name: string): Promise<void> {
  const canonical = normalizeFolderName(name);
  if (canonical === 'INBOX') throw new FolderExistsError(canonical);
  const dir = join(root, folderDirName(canonical));
  if (
    await stat(dir).then(
      () => true,
      () => false,
    )
  )
    throw new FolderExistsError(canonical);
  const dirName = folderDirName(canonical);
  const hasChildren = (await folderDirs(root)).some((d) => d.startsWith(`${dirName}.`));
  const level = canonical.slice('INBOX.'.length);
  const acl = await createAclBeforeMkdir(ctx, root, level, hasChildren);
  // Build the folder under tmp/, then rename it into place: never a half-made folder.
  const build = join(root, 'tmp', `${tmpName(ctx.unique('mkdir'))}`);
  try {
    await makeMaildirDirs(build, { dirMode: 0o700, subdirMode: 0o700, folder: true });
    const uidv = Math.floor(ctx.clock.now() / 1000) - IMAP_EPOCH;
    await writeFile(join(build, UIDDB_FILE), formatUidDb(uidv, 1, []), { mode: 0o644 });
    await mkdir(join(build, KEYWORD_DIR), { mode: 0o700 });
    if (acl !== undefined) await writeFile(join(build, ACL_FILE), acl, { mode: 0o644 });
    if (
      await stat(dir).then(
        () => true,
        () => false,
      )
    )
      throw new FolderExistsError(canonical);
    await rename(build, dir);
  } catch (err) {
    await rm(build, { recursive: true, force: true }).catch(() => {});
    if (
      (err as NodeJS.ErrnoException).code === 'ENOTEMPTY' ||
      (err as NodeJS.ErrnoException).code === 'EEXIST'
    )
      throw new FolderExistsError(canonical, { cause: err });
    throw err;
  }
  if (acl === undefined) await createAclAfterMkdir(ctx, root, level);
}

export async function deleteFolder(
  ctx: MaildirContext,
  root: string,
  name: string,
  trash: string,
): Promise<void> {
  const canonical = normalizeFolderName(name);
  if (canonical === 'INBOX' || canonical === `INBOX.${trash}`) throw new CannotDeleteFolderError(canonical);
  const dir = join(root, folderDirName(canonical));
  if (!(await isDir(dir))) throw new NoSuchFolderError(canonical);
  const dirName = folderDirName(canonical);
  const hasChildren = (await folderDirs(root)).some((d) => d.startsWith(`${dirName}.`));
  // Courier keeps the ACL of a deleted folder that still has children as a hierarchy-level entry.
  const keepAcl = hasChildren ? await aclForDelete(root, canonical, dir) : undefined;
  // Move it out of sight atomically first, then remove the files.
  const grave = join(root, 'tmp', tmpName(ctx.unique('rmdir')));
  try {
    await rename(dir, grave);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new NoSuchFolderError(canonical, { cause: err });
    throw err;
  }
  await rm(grave, { recursive: true, force: true });
  if (keepAcl !== undefined) await writeHierAcl(ctx, root, canonical.slice('INBOX.'.length), keepAcl);
}

/** Renames a folder and its children; returns how many directories moved (0 = nothing there). */
export async function renameFolder(root: string, from: string, to: string, trash: string): Promise<number> {
  const src = normalizeFolderName(from);
  const dst = normalizeFolderName(to);
  if (isInbox(src)) throw new CannotRenameFolderError(src);
  if (src === `INBOX.${trash}`) throw new CannotRenameFolderError(src);
  const srcDir = folderDirName(src);
  const dstDir = folderDirName(dst);
  const moves: Array<[string, string]> = [];
  for (const d of await folderDirs(root)) {
    if (d === srcDir || d.startsWith(`${srcDir}.`)) moves.push([d, dstDir + d.slice(srcDir.length)]);
  }
  for (const [, target] of moves) {
    if (
      await stat(join(root, target)).then(
        () => true,
        () => false,
      )
    )
      throw new FolderExistsError(dst);
  }
  if (dstDir === srcDir) return 0;
  moves.sort((a, b) => a[0].length - b[0].length);
  for (const [a, b] of moves) await rename(join(root, a), join(root, b));
  if (moves.length > 0) await renameHierAcls(root, src.slice('INBOX.'.length), dst.slice('INBOX.'.length));
  return moves.length;
}

async function hasEntries(dir: string): Promise<boolean> {
  try {
    const d = await opendir(dir);
    try {
      for await (const e of d) if (!e.name.startsWith('.')) return true;
      return false;
    } finally {
      await d.close().catch(() => {});
    }
  } catch {
    return false;
  }
}

/** One directory holds a message that is not seen: no `:2,` info, or no `S` after it (hasnewmsgs2). */
async function hasUnseen(dir: string): Promise<boolean> {
  try {
    const d = await opendir(dir);
    try {
      for await (const e of d) {
        if (e.name.startsWith('.')) continue;
        const colon = e.name.lastIndexOf(':');
        if (colon < 0 || !e.name.startsWith(':2,', colon) || !e.name.includes('S', colon)) return true;
      }
      return false;
    } finally {
      await d.close().catch(() => {});
    }
  } catch {
    return false;
  }
}

/** Courier's \Marked test of a folder directory: new/ first, then cur/. */
async function folderHasNewMail(dir: string): Promise<boolean> {
  return (await hasUnseen(join(dir, 'new'))) || hasUnseen(join(dir, 'cur'));
}

export async function listFolders(root: string): Promise<FolderListEntry[]> {
  const existing = new Map<string, boolean>();
  const order: string[] = ['INBOX'];
  existing.set('INBOX', true);
  for (const d of await folderDirs(root)) {
    const name = folderNameFromDir(d);
    if (!name) continue;
    existing.set(name, true);
    order.push(name);
  }
  for (const name of [...existing.keys()]) {
    const parts = name.split('.');
    for (let n = 2; n < parts.length; n++) {
      const parent = parts.slice(0, n).join('.');
      if (!existing.has(parent)) {
        existing.set(parent, false);
        order.push(parent);
      }
    }
  }
  const names = [...existing.keys()];
  const marked = await hasEntries(join(root, 'new'));
  return order.map((name) => {
    const exists = existing.get(name)!;
    const hasChildren = names.some((n) => n.startsWith(`${name}.`));
    const dir = name === 'INBOX' ? root : join(root, folderDirName(name));
    const hasNewMail = (): Promise<boolean> => (exists ? folderHasNewMail(dir) : Promise.resolve(false));
    return { name, exists, hasChildren, noselect: !exists, marked: name === 'INBOX' && marked, hasNewMail };
  });
}
