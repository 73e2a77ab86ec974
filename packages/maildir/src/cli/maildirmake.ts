/** maildirmake: Courier's maildirmake(1) — same options, files, modes, messages and exit codes. */
import { access, appendFile, constants, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic.js';
import { resolveContext } from '../fs/context.js';
import { makeMaildirDirs } from '../layout/maildir-make.js';
import { parseQuotaString, recalculateMaildirsize } from '../state/maildirsize.js';
import { strerror } from './errno-text.js';

const USAGE = 'Usage: maildirmake [ options ] maildir\n';
const SHARED_FILE = 'shared-maildirs';

interface Io {
  out(s: string): void;
  err(s: string): void;
}

class Exit {
  constructor(readonly code: number) {}
}

interface Parsed {
  folder?: string;
  perm: number;
  mustHaveFolder: boolean;
  quota?: string;
  add?: string;
  del?: string;
  maildir: string;
}

function parseArgs(args: readonly string[], io: Io): Parsed {
  let argn = 0;
  const p: Partial<Parsed> & { perm: number; mustHaveFolder: boolean } = {
    perm: 0o700,
    mustHaveFolder: false,
  };
  const value = (a: string): string => {
    const v = a.slice(2);
    if (v === '' && argn + 1 < args.length) return args[++argn]!;
    return v;
  };
  for (; argn < args.length; argn++) {
    const a = args[argn]!;
    if (!a.startsWith('-') || a === '-') break;
    if (a.startsWith('-f')) {
      p.folder = value(a);
    } else if (a === '-S') {
      p.perm = 0o755;
    } else if (a.startsWith('-s')) {
      p.perm = 0o755;
      for (const word of value(a).split(/[\s,]+/)) {
        if (word.startsWith('r')) p.perm = 0o755;
        else if (word.startsWith('w')) p.perm = 0o1777;
        else if (word.startsWith('g')) p.perm &= ~0o007;
      }
      p.mustHaveFolder = true;
    } else if (a.startsWith('-q')) {
      p.quota = value(a);
    } else if (a === '--add' && args.length - argn > 1) {
      p.add = args[++argn]!;
    } else if (a === '--del' && args.length - argn > 1) {
      p.del = args[++argn]!;
    } else {
      io.out(USAGE);
      throw new Exit(1);
    }
  }
  if (argn === args.length) {
    io.out(USAGE);
    throw new Exit(1);
  }
  return { ...p, maildir: args[argn]! } as Parsed;
}

function parseSharedLine(line: string): { name: string; path: string } | undefined {
  const body = line.replace(/#.*/, '').trim();
  const m = /^(\S+)\s+(\S.*)$/.exec(body);
  return m ? { name: m[1]!, path: m[2]! } : undefined;
}

async function addShared(dir: string, spec: string, io: Io): Promise<number> {
  const eq = spec.indexOf('=');
  if (eq < 0 || spec[eq + 1] !== '/') {
    io.out(USAGE);
    return 1;
  }
  const name = spec.slice(0, eq);
  const path = spec.slice(eq + 1);
  try {
    await access(path, constants.R_OK);
  } catch (err) {
    io.err(`${path}: ${strerror(err)}\n`);
    return 1;
  }
  if (name.includes('.') || name.includes('/')) {
    io.err(`${name}: invalid name\n`);
    return 1;
  }
  const file = join(dir, SHARED_FILE);
  let text = '';
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      io.err(`${dir}: ${strerror(err)}\n`);
      return 1;
    }
  }
  if (text.split('\n').some((l) => parseSharedLine(l)?.name === name)) {
    io.err(`${name}: already defined as a sharable maildir.\n`);
    return 2;
  }
  try {
    await appendFile(file, `${name}\t${path}\n`, { mode: 0o644 });
  } catch (err) {
    io.err(`${dir}: ${strerror(err)}\n`);
    return 1;
  }
  return 0;
}

async function delShared(dir: string, name: string, io: Io): Promise<number> {
  let text: string;
  try {
    text = await readFile(join(dir, SHARED_FILE), 'utf8');
  } catch (err) {
    io.err(`${dir}: ${strerror(err)}\n`);
    return 1;
  }
  const lines = text.split(/(?<=\n)/);
  const kept = lines.filter((l) => parseSharedLine(l)?.name !== name);
  const ctx = resolveContext(dir, {});
  try {
    await writeFileAtomic(ctx, dir, join(dir, SHARED_FILE), kept.join(''), { uniqTag: 'shared' });
  } catch (err) {
    io.err(`${dir}: ${strerror(err)}\n`);
    return 1;
  }
  if (kept.length === lines.length) {
    io.err(`${name}: not found.\n`);
    return 1;
  }
  return 0;
}

/** maildir_quota_set: maildirsize in the maildir (a folder's goes to its parent). */
async function setQuota(maildir: string, quota: string): Promise<void> {
  let root = maildir;
  while (
    await stat(join(root, 'maildirfolder')).then(
      () => true,
      () => false,
    )
  )
    root = join(root, '..');
  const def = parseQuotaString(quota);
  await recalculateMaildirsize(resolveContext(root, {}), root, def);
}

export async function runMaildirmake(args: readonly string[], io: Io): Promise<number> {
  try {
    const p = parseArgs(args, io);
    if (p.add !== undefined) return await addShared(p.maildir, p.add, io);
    if (p.del !== undefined) return await delShared(p.maildir, p.del, io);
    if (p.folder?.startsWith('.')) {
      io.out(`Invalid folder name: ${p.folder}\n`);
      return 1;
    }
    let maildir = p.maildir;
    if (p.folder !== undefined) maildir = `${maildir}/.${p.folder}`;
    else if (p.mustHaveFolder) {
      io.out(USAGE);
      return 1;
    }
    if (p.quota !== undefined) {
      const exists = await stat(maildir).then(
        () => true,
        () => false,
      );
      if (!exists) {
        const umask = process.umask();
        const mode = p.perm & ~0o022 & ~umask;
        try {
          await makeMaildirDirs(maildir, { dirMode: mode, subdirMode: mode, folder: false });
        } catch (err) {
          io.err(`${maildir}: ${strerror(err)}\n`);
          return 1;
        }
      }
      await setQuota(maildir, p.quota);
      return 0;
    }
    const subdirMode = p.folder !== undefined ? p.perm : 0o700;
    try {
      await makeMaildirDirs(maildir, {
        dirMode: p.perm & ~0o022,
        subdirMode,
        folder: p.folder !== undefined,
      });
    } catch (err) {
      io.err(`maildirmake: ${maildir}: ${strerror(err)}\n`);
      return 1;
    }
    return 0;
  } catch (e) {
    if (e instanceof Exit) return e.code;
    throw e;
  }
}
