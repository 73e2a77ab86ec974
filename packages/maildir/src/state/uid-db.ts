/** courierimapuiddb: `1 <uidvalidity> <nextuid>` then `<uid> <name without :2,...>` lines. */
import { readFile } from 'node:fs/promises';

export const UIDDB_FILE = 'courierimapuiddb';
export const UIDDB_VERSION = 1;
/** IMAP_EPOCH in imapscanclient.c: UIDVALIDITY = mtime(new uiddb) - 1000000000. */
export const IMAP_EPOCH = 1_000_000_000;

export interface UidDb {
  readonly uidValidity: number;
  readonly nextUid: number;
  /** key (unique part of the name) -> uid. */
  readonly entries: Map<string, number>;
}

export type UidDbRead =
  | { readonly kind: 'ok'; readonly db: UidDb }
  | { readonly kind: 'missing' }
  | { readonly kind: 'invalid'; readonly reason: string };

/** Parses the file as Courier does: a bad header means "rebuild"; bad lines are skipped. */
export function parseUidDb(text: string): UidDbRead {
  const nl = text.indexOf('\n');
  const header = nl < 0 ? text : text.slice(0, nl);
  if (nl < 0 && text.length === 0) return { kind: 'invalid', reason: 'empty file' };
  const m = /^\s*(\d+)\s+(\d+)\s+(\d+)/.exec(header);
  if (!m) return { kind: 'invalid', reason: 'unreadable header line' };
  if (Number(m[1]) !== UIDDB_VERSION) return { kind: 'invalid', reason: `version ${m[1]}` };
  const entries = new Map<string, number>();
  if (nl >= 0) {
    let pos = nl + 1;
    while (pos < text.length) {
      let end = text.indexOf('\n', pos);
      if (end < 0) end = text.length;
      const line = text.slice(pos, end);
      pos = end + 1;
      const sp = line.indexOf(' ');
      if (sp < 0) continue;
      const uid = Number.parseInt(line.slice(0, sp), 10);
      if (!Number.isFinite(uid) || uid <= 0) continue;
      entries.set(line.slice(sp + 1), uid);
    }
  }
  return { kind: 'ok', db: { uidValidity: Number(m[2]), nextUid: Number(m[3]), entries } };
}

export async function readUidDb(path: string): Promise<UidDbRead> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'invalid', reason: `read error ${code ?? String(err)}` };
  }
  return parseUidDb(text);
}

/** Serialises entries in the given order (Courier writes UID order). */
export function formatUidDb(
  uidValidity: number,
  nextUid: number,
  rows: Iterable<readonly [number, string]>,
): string {
  const parts = [`${UIDDB_VERSION} ${uidValidity} ${nextUid}\n`];
  for (const [uid, key] of rows) parts.push(`${uid} ${key}\n`);
  return parts.join('');
}
