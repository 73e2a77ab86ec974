/**
 * courierimapkeywords/: `:list` plus per-message update files, read and merged as
 * maildirkeywords2.c does (pending `<name>` > aged `.<N>.<name>` > `:list`).
 */
import { chmod, mkdir, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic.js';
import type { MaildirContext } from '../fs/context.js';
import { compareKeywordsForList, compareKeywordsForMessage, sanitizeKeyword } from './keyword-order.js';

export const KEYWORD_DIR = 'courierimapkeywords';

export interface KeywordReadOptions {
  /** Merge updates into `:list` and age/purge update files (false for read-only looks). */
  readonly write: boolean;
}

interface UpdateInfo {
  highestN: number;
  highestT: number;
  totalCnt: number;
  foundNewest: boolean;
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * The message keys of the folder (a Set in UID order), or a function making it: it is only called
 * when the keyword dir holds anything (a folder without keywords never builds the set).
 */
export type KeywordKeys = ReadonlySet<string> | (() => ReadonlySet<string>);

/** Reads keywords for the given message keys; returns key -> sorted keyword list. */
export async function readKeywords(
  ctx: MaildirContext,
  folderDir: string,
  keys: KeywordKeys,
  options: KeywordReadOptions,
): Promise<Map<string, string[]>> {
  let made: ReadonlySet<string> | undefined;
  const keySet = {
    has: (k: string): boolean => {
      made ??= typeof keys === 'function' ? keys() : keys;
      return made.has(k);
    },
    all: (): ReadonlySet<string> => {
      made ??= typeof keys === 'function' ? keys() : keys;
      return made;
    },
  };
  for (let attempt = 0; ; attempt++) {
    const r = await readOnce(ctx, folderDir, keySet, options);
    if (r !== undefined || attempt >= 5) return r ?? new Map();
  }
}

interface KeySet {
  has(key: string): boolean;
  all(): ReadonlySet<string>;
}

function parseList(text: string, keys: KeySet, out: Map<string, Set<string>>): boolean {
  const lines = splitLines(text);
  const names: string[] = [];
  let i = 0;
  for (; i < lines.length && lines[i] !== ''; i++) names.push(sanitizeKeyword(lines[i]!));
  let stale = false;
  for (i++; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon < 0) {
      stale = true;
      continue;
    }
    const key = line.slice(0, colon);
    if (!keys.has(key)) {
      stale = true;
      continue;
    }
    const set = new Set<string>();
    for (const tok of line.slice(colon + 1).split(' ')) {
      if (tok === '') continue;
      const n = Number.parseInt(tok, 10);
      if (n >= 0 && n < names.length) set.add(names[n]!);
    }
    out.set(key, set);
  }
  return stale;
}

function atotime(s: string): number {
  const m = /^\d+/.exec(s);
  return m ? Number(m[0]) : 0;
}

/** Courier's keyword reader when `:list` is missing: mkdir 0700, then the folder directory's mode. */
export async function ensureKeywordDir(folderDir: string): Promise<void> {
  const dir = join(folderDir, KEYWORD_DIR);
  if (
    await stat(dir).then(
      () => true,
      () => false,
    )
  )
    return;
  await mkdir(dir, { mode: 0o700 }).catch(() => {});
  const st = await stat(folderDir).catch(() => undefined);
  if (st) await chmod(dir, st.mode & 0o777).catch(() => {});
}

async function readOnce(
  ctx: MaildirContext,
  folderDir: string,
  keys: KeySet,
  options: KeywordReadOptions,
): Promise<Map<string, string[]> | undefined> {
  const dir = join(folderDir, KEYWORD_DIR);
  const t = Math.floor(ctx.clock.now() / 1000);
  const tn = Math.floor(t / 300);
  const current = new Map<string, Set<string>>();
  let updateNeeded = false;
  try {
    updateNeeded = parseList(await readFile(join(dir, ':list'), 'utf8'), keys, current);
  } catch {
    if (options.write) await ensureKeywordDir(folderDir);
  }
  const updates = new Map<string, UpdateInfo>();
  let entries: string[] = [];
  try {
    entries = await readdir(dir);
  } catch {
    entries = [];
  }
  for (const name of entries) {
    if (name.startsWith(':')) continue;
    let key: string;
    let x = 0;
    if (!name.startsWith('.')) {
      key = name;
    } else {
      x = atotime(name.slice(1));
      if (x === 0) {
        if (name.startsWith('.tmp.')) {
          const tt = atotime(name.slice(5));
          if (tt !== 0 && tt >= t - 120) continue;
          if (options.write) await unlink(join(dir, name)).catch(() => {});
        }
        continue;
      }
      const dot = name.indexOf('.', 1);
      if (dot < 0) continue;
      key = name.slice(dot + 1);
    }
    if (!keys.has(key)) {
      if (options.write) {
        const st = await stat(join(dir, name)).catch(() => undefined);
        if (st && st.mtimeMs / 1000 < t - 15 * 60) await unlink(join(dir, name)).catch(() => {});
      }
      continue;
    }
    let u = updates.get(key);
    if (!u) {
      u = { highestN: 0, highestT: 0, totalCnt: 0, foundNewest: false };
      updates.set(key, u);
    }
    if (!name.startsWith('.')) {
      x = tn + 1;
      u.foundNewest = true;
    }
    u.totalCnt++;
    if (x >= tn) {
      if (x > u.highestT) u.highestT = x;
    } else if (u.highestN < x) {
      if (u.highestN > 0 && options.write) await unlink(join(dir, `.${u.highestN}.${key}`)).catch(() => {});
      u.highestN = x;
    }
  }
  for (const [key, u] of updates) {
    const n = Math.max(u.highestN, u.highestT);
    if (n === 0) continue;
    const file = u.foundNewest ? join(dir, key) : join(dir, `.${n}.${key}`);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // tryagain
      continue;
    }
    const set = new Set<string>();
    for (const line of splitLines(text)) {
      if (line === '') break;
      set.add(sanitizeKeyword(line));
    }
    const old = current.get(key);
    if (set.size === 0) {
      if (old && old.size > 0) updateNeeded = true;
      current.delete(key);
    } else if (!old || !sameSet(old, set)) {
      updateNeeded = true;
      current.set(key, set);
    }
  }
  if (options.write) {
    if (updateNeeded) await saveList(ctx, folderDir, current, keys.all());
    for (const [key, u] of updates) {
      if (u.foundNewest) {
        await rename(join(dir, key), join(dir, `.${tn + 1}.${key}`)).catch(() => {});
      } else if (u.totalCnt === 1 && u.highestN) {
        await unlink(join(dir, `.${u.highestN}.${key}`)).catch(() => {});
      }
    }
  }
  const result = new Map<string, string[]>();
  for (const [key, set] of current) {
    if (set.size > 0) result.set(key, [...set].sort(compareKeywordsForMessage));
  }
  return result;
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/** Formats `:list`; undefined when no message has a keyword (Courier then removes the file). */
export function formatKeywordList(
  perMessage: ReadonlyMap<string, ReadonlySet<string>>,
  order: readonly string[],
): string | undefined {
  const all = new Map<string, string>();
  for (const set of perMessage.values())
    for (const k of set) if (!all.has(k.toLowerCase())) all.set(k.toLowerCase(), k);
  if (all.size === 0) return undefined;
  const names = [...all.values()].sort(compareKeywordsForList);
  const index = new Map(names.map((n, i) => [n.toLowerCase(), i]));
  const lines = [...names, ''];
  for (const key of order) {
    const set = perMessage.get(key);
    if (!set || set.size === 0) continue;
    const idx = [...set].sort(compareKeywordsForMessage).map((k) => index.get(k.toLowerCase())!);
    lines.push(`${key}:${idx.join(' ')}`);
  }
  return `${lines.join('\n')}\n`;
}

async function saveList(
  ctx: MaildirContext,
  folderDir: string,
  current: Map<string, Set<string>>,
  order: ReadonlySet<string>,
): Promise<void> {
  const listPath = join(folderDir, KEYWORD_DIR, ':list');
  const text = formatKeywordList(current, [...order]);
  if (text === undefined) {
    await unlink(listPath).catch(() => {});
    return;
  }
  await writeFileAtomic(ctx, folderDir, listPath, text);
}

/** Writes a pending update `courierimapkeywords/<key>` with the message's full keyword set. */
export async function writeKeywordUpdate(
  ctx: MaildirContext,
  folderDir: string,
  key: string,
  keywords: Iterable<string>,
): Promise<void> {
  const dir = join(folderDir, KEYWORD_DIR);
  // Courier writes the set sorted by bytes (strcmp), whatever order the keywords were added in.
  const body = [...new Set([...keywords].map((k) => sanitizeKeyword(k)).filter((k) => k !== ''))]
    .sort(compareKeywordsForMessage)
    .map((k) => `${k}\n`)
    .join('');
  try {
    await writeFileAtomic(ctx, folderDir, join(dir, key), body);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    await mkdir(dir, { mode: 0o700 }).catch(() => {});
    await writeFileAtomic(ctx, folderDir, join(dir, key), body);
  }
}
