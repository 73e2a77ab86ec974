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

/**
 * parseInt(text.slice(start, end), 10) without the slice: optional blanks and sign, then the
 * leading digits (NaN when none).
 */
function leadingUid(text: string, start: number, end: number): number {
  let i = start;
  while (i < end && /\s/.test(text[i]!)) i++;
  let sign = 1;
  if (text[i] === '-' || text[i] === '+') {
    if (text[i] === '-') sign = -1;
    i++;
  }
  let n = Number.NaN;
  for (; i < end; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    n = Number.isNaN(n) ? d : n * 10 + d;
  }
  return sign * n;
}

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
      const sp = text.indexOf(' ', pos);
      const start = pos;
      pos = end + 1;
      if (sp < 0 || sp >= end) continue;
      const uid = leadingUid(text, start, sp);
      if (!Number.isFinite(uid) || uid <= 0) continue;
      entries.set(text.slice(sp + 1, end), uid);
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

/** The same file from scan entries (UID order), without a row array in between. */
export function formatUidDbEntries(
  uidValidity: number,
  nextUid: number,
  entries: readonly { readonly uid: number; readonly key: string }[],
): string {
  // One join (a flat string) rather than += (a rope of 100,000 pieces flattened when written).
  const parts = new Array<string>(entries.length + 1);
  parts[0] = `${UIDDB_VERSION} ${uidValidity} ${nextUid}\n`;
  for (let i = 0; i < entries.length; i++) parts[i + 1] = `${entries[i]!.uid} ${entries[i]!.key}\n`;
  return parts.join('');
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
