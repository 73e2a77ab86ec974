// Snapshot of a maildir's on-disk state after a session, as comparable text lines: every directory
// and file with its mode; messages with size and a content hash; Courier's state files with their
// content. Server-made file names lose their unique parts (normalise.ts), so two servers' trees compare
// equal when they did the same thing. tmp/ contents are left out (locks, partial deliveries).
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { baseOfFileName, type NormaliseContext, normaliseFileName, normaliseState } from './normalise.js';

const STATE_FILES =
  /(^|\/)(courierimapuiddb|courierpop3dsizelist|courierimapsubscribed|courierimapacl|maildirsize|maildirfolder|shared-maildirs|courierimapkeywords\/[^/]+|courierimaphieracl\/[^/]+)$/;
const MESSAGE_DIR = /(^|\/)(cur|new)$/;
/** Our own per-folder caches (packages/maildir): private by design, absent from Courier's trees. */
const OWN_PRIVATE_FILES = /^courier-ts\.(cache|snapshot|structure)$/;

interface RawEntry {
  readonly rel: string;
  readonly dir: boolean;
  readonly mode: number;
  readonly size: number;
}

async function walk(root: string, rel: string, out: RawEntry[]): Promise<void> {
  for (const name of await readdir(join(root, rel))) {
    if (OWN_PRIVATE_FILES.test(name)) continue;
    const r = rel ? `${rel}/${name}` : name;
    const st = await stat(join(root, r));
    out.push({ rel: r, dir: st.isDirectory(), mode: st.mode & 0o7777, size: st.size });
    if (st.isDirectory() && !/(^|\/)tmp$/.test(r)) await walk(root, r, out);
  }
}

/** Base names (unique parts) of every message file now in the maildir: the "fixture" names. */
export async function knownNames(maildir: string): Promise<Set<string>> {
  const entries: RawEntry[] = [];
  await walk(maildir, '', entries);
  const known = new Set<string>();
  for (const e of entries) {
    const base = baseOfFileName(e.rel.split('/').pop() ?? '');
    if (base) known.add(base);
  }
  return known;
}

/** UIDVALIDITY values already in the maildir's state files (before a session: the fixture's). */
export async function knownValidities(maildir: string): Promise<string[]> {
  const entries: RawEntry[] = [];
  await walk(maildir, '', entries);
  const out = new Set<string>();
  for (const e of entries) {
    if (e.dir) continue;
    const isUiddb = /(^|\/)courierimapuiddb$/.test(e.rel);
    if (!isUiddb && !/(^|\/)courierpop3dsizelist$/.test(e.rel)) continue;
    const first = (await readFile(join(maildir, e.rel), 'utf8')).split('\n', 1)[0] ?? '';
    const m = isUiddb ? /^1 (\d+) \d+$/.exec(first) : /^\/\d+ \d+ (\d+)$/.exec(first);
    if (m) out.add(m[1]!);
  }
  return [...out];
}

function normaliseContentNames(line: string, known: ReadonlySet<string>): string {
  return line
    .split(/(\s+)/)
    .map((tok) => normaliseFileName(tok, known))
    .join('');
}

/** The snapshot, normalised, one entry per line (state file contents as indented `  | ` lines). */
export async function snapshotMaildir(
  maildir: string,
  known: ReadonlySet<string>,
  ctx: NormaliseContext,
): Promise<string[]> {
  const entries: RawEntry[] = [];
  await walk(maildir, '', entries);
  const blocks: Array<{ key: string; lines: string[] }> = [];
  for (const e of entries) {
    const parts = e.rel.split('/');
    const file = parts.pop() ?? '';
    const parent = parts.join('/');
    const shown = [...parts, normaliseFileName(file, known)].join('/');
    const mode = e.mode.toString(8).padStart(4, '0');
    if (e.dir) {
      blocks.push({ key: shown, lines: [`${shown}/ ${mode}`] });
      continue;
    }
    if (/(^|\/)tmp$/.test(parent)) continue;
    const head = `${shown} ${mode}`;
    if (MESSAGE_DIR.test(parent)) {
      const hash = createHash('sha256')
        .update(await readFile(join(maildir, e.rel)))
        .digest('hex')
        .slice(0, 12);
      blocks.push({ key: shown, lines: [`${head} ${e.size}b sha256:${hash}`] });
    } else if (STATE_FILES.test(e.rel)) {
      const text = await readFile(join(maildir, e.rel), 'utf8');
      const body = text === '' ? [] : text.replace(/\n$/, '').split('\n');
      blocks.push({
        key: shown,
        lines: [head, ...body.map((l) => `  | ${normaliseContentNames(l, known)}`)],
      });
    } else {
      const hash = createHash('sha256')
        .update(await readFile(join(maildir, e.rel)))
        .digest('hex')
        .slice(0, 12);
      blocks.push({ key: shown, lines: [`${head} ${e.size}b sha256:${hash}`] });
    }
  }
  blocks.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.lines.join() < b.lines.join() ? -1 : 1));
  return blocks.flatMap((b) => normaliseState(b.key, b.lines, ctx));
}
