// Test maildirs: made with our maildirmake when it is built (else by hand, as Courier's maildirmake
// lays them out), filled from a fixture tree under test/fixtures/maildirs/ or generated with the shared
// mkmaildir.py, and handed to the mail user.
//
// Fixture trees are plain directories: `cur/`, `new/`, `.Folder/cur/` ... holding message files, plus
// any Courier state files to start from. Empty directories need not exist in git: every maildir and
// `.Folder` gets cur/ new/ tmp/ (and `maildirfolder` for folders). A message file's mtime, which is
// its INTERNALDATE, is set from the leading decimal seconds of its name, so transcripts are stable.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, copyFile, mkdir, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { binPath, maildirFixturesDir, sharedToolsDir } from './paths.js';
import type { MailUser } from './users.js';

export interface MaildirOptions {
  /** Fixture name under test/fixtures/maildirs/, or an absolute path. */
  readonly fixture?: string;
  /** Generate this many messages with mkmaildir.py instead (deterministic for a seed). */
  readonly generate?: { readonly messages: number; readonly seed?: number };
  /** Owner of every file (when running as root). */
  readonly owner?: MailUser;
  /** Use our bin/maildirmake when it is built (default true). */
  readonly useOurMaildirmake?: boolean;
}

export interface MaildirResult {
  readonly path: string;
  /** How the empty maildir was made: 'maildirmake' (ours), 'manual' or 'mkmaildir.py'. */
  readonly madeBy: 'maildirmake' | 'manual' | 'mkmaildir.py';
}

const FALLBACK_MTIME = 1_700_000_000;

export function fixturePath(name: string): string {
  return isAbsolute(name) ? name : join(maildirFixturesDir, name);
}

async function makeSkeleton(dir: string, folder: boolean): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  for (const sub of ['cur', 'new', 'tmp']) await mkdir(join(dir, sub), { recursive: true, mode: 0o700 });
  if (folder && !existsSync(join(dir, 'maildirfolder'))) {
    await writeFile(join(dir, 'maildirfolder'), '', { mode: 0o600 });
  }
}

function mtimeOf(name: string): number {
  const m = /^(\d{9,11})\./.exec(name);
  return m ? Number(m[1]) : FALLBACK_MTIME;
}

async function copyTree(src: string, dest: string, inFolder: boolean): Promise<void> {
  await makeSkeleton(dest, inFolder);
  for (const entry of (await readdir(src, { withFileTypes: true })).sort((a, b) =>
    a.name < b.name ? -1 : 1,
  )) {
    if (entry.name === '.gitkeep') continue;
    const from = join(src, entry.name);
    const to = join(dest, entry.name);
    if (entry.isDirectory()) {
      if (entry.name.startsWith('.') && !inFolder) await copyTree(from, to, true);
      else await copyMessages(from, to);
    } else if (entry.isFile()) {
      await copyFile(from, to);
      await chmod(to, entry.name === 'maildirfolder' ? 0o600 : 0o644);
    }
  }
}

async function copyMessages(src: string, dest: string): Promise<void> {
  await mkdir(dest, { recursive: true, mode: 0o700 });
  for (const entry of await readdir(src, { withFileTypes: true })) {
    if (!entry.isFile() || entry.name === '.gitkeep') continue;
    const to = join(dest, entry.name);
    await copyFile(join(src, entry.name), to);
    await chmod(to, 0o644);
    const t = mtimeOf(entry.name);
    await utimes(to, t, t);
  }
}

async function chownTree(path: string, owner: MailUser): Promise<void> {
  await chown(path, owner.uid, owner.gid);
  if (!(await stat(path)).isDirectory()) return;
  for (const name of await readdir(path)) await chownTree(join(path, name), owner);
}

function tryOurMaildirmake(path: string): boolean {
  const r = spawnSync(process.execPath, [binPath('maildirmake'), path], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  return r.status === 0 && existsSync(join(path, 'cur')) && existsSync(join(path, 'tmp'));
}

/** Create a maildir at `path` (which must not exist yet), optionally filled from a fixture. */
export async function createMaildir(path: string, options: MaildirOptions = {}): Promise<MaildirResult> {
  let madeBy: MaildirResult['madeBy'];
  if (options.generate) {
    const args = [
      join(sharedToolsDir, 'mkmaildir.py'),
      path,
      '--messages',
      String(options.generate.messages),
    ];
    args.push('--seed', String(options.generate.seed ?? 1), '--no-large');
    const r = spawnSync('python3', args, { encoding: 'utf8', timeout: 300_000 });
    if (r.status !== 0) throw new Error(`mkmaildir.py failed: ${r.stderr || r.error?.message}`);
    madeBy = 'mkmaildir.py';
  } else if (options.useOurMaildirmake !== false && tryOurMaildirmake(path)) {
    madeBy = 'maildirmake';
  } else {
    await makeSkeleton(path, false);
    madeBy = 'manual';
  }
  if (options.fixture) {
    const src = fixturePath(options.fixture);
    if (!existsSync(src)) throw new Error(`maildir fixture not found: ${src}`);
    await copyTree(src, path, false);
  }
  if (options.owner) await chownTree(path, options.owner);
  return { path, madeBy };
}
