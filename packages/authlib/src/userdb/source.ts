import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserdbError } from '../errors.js';
import { type ParsedUserdb, parseUserdbText, type UserdbEntry, type UserdbProblem } from './parse.js';

export interface UserdbSnapshot extends ParsedUserdb {
  readonly byAddress: ReadonlyMap<string, UserdbEntry>;
  /** Change signature: every source file's path, mtime and size. */
  readonly signature: string;
}

interface SourceFile {
  readonly path: string;
  /** Path relative to the userdb root ('' for a single file), makeuserdb's `_=` field. */
  readonly sub: string;
  readonly mtimeMs: number;
  readonly size: number;
}

function checkMode(path: string, mode: number): void {
  if ((mode & 0o077) !== 0) {
    throw new UserdbError(
      'USERDB_PERMISSIONS',
      `${path}: group or world permissions set (mode ${(mode & 0o777).toString(8)}); chmod 600 or 700`,
    );
  }
}

/** List the source files: the file itself, or a directory's files recursively (dotfiles skipped). */
async function listSources(root: string): Promise<SourceFile[]> {
  const st = await stat(root);
  checkMode(root, st.mode);
  if (!st.isDirectory()) return [{ path: root, sub: '', mtimeMs: st.mtimeMs, size: st.size }];
  const out: SourceFile[] = [];
  const walk = async (dir: string, sub: string): Promise<void> => {
    const names = (await readdir(dir)).filter((n) => !n.startsWith('.')).sort();
    for (const name of names) {
      const p = join(dir, name);
      const s = await stat(p);
      checkMode(p, s.mode);
      const rel = sub === '' ? name : `${sub}/${name}`;
      if (s.isDirectory()) await walk(p, rel);
      else if (s.isFile()) out.push({ path: p, sub: rel, mtimeMs: s.mtimeMs, size: s.size });
    }
  };
  await walk(root, '');
  return out;
}

export async function userdbSignature(root: string): Promise<string> {
  return (await listSources(root)).map((f) => `${f.path}:${f.mtimeMs}:${f.size}`).join('\n');
}

/**
 * Read a userdb text source (file or directory). Throws UserdbError when a source has group or world
 * permission bits (makeuserdb refuses those), and ENOENT when it does not exist.
 */
export async function loadUserdb(root: string): Promise<UserdbSnapshot> {
  const files = await listSources(root);
  const entries: UserdbEntry[] = [];
  const problems: UserdbProblem[] = [];
  const byAddress = new Map<string, UserdbEntry>();
  for (const f of files) {
    const parsed = parseUserdbText(await readFile(f.path, 'utf8'), f.path);
    problems.push(...parsed.problems);
    for (const e of parsed.entries) {
      if (byAddress.has(e.address)) {
        problems.push({ source: f.path, line: e.line, message: `${e.address}: duplicate address` });
        continue;
      }
      byAddress.set(e.address, e);
      entries.push(e);
    }
  }
  return {
    entries,
    problems,
    byAddress,
    signature: files.map((f) => `${f.path}:${f.mtimeMs}:${f.size}`).join('\n'),
  };
}

/** A cached userdb that reloads when any source file's mtime or size changes. */
export interface UserdbCache {
  get(): Promise<UserdbSnapshot>;
}

export function createUserdbCache(root: string): UserdbCache {
  let current: UserdbSnapshot | undefined;
  return {
    async get() {
      if (current && (await userdbSignature(root)) === current.signature) return current;
      current = await loadUserdb(root);
      return current;
    },
  };
}
