/** courierpop3dsizelist: `/3 <nextuid> <uidv>` then `<cur name> <octets> <uid>:<uidv>:<utf8>` (pop3dserver.c). */
import { readFile } from 'node:fs/promises';

export const SIZELIST_FILE = 'courierpop3dsizelist';
export const SIZELIST_VERSION = 3;

export interface SizelistEntry {
  readonly filename: string;
  readonly size: number;
  readonly uid: number;
  readonly uidv: number;
  readonly utf8: boolean;
}

export interface Sizelist {
  readonly nextUid: number;
  /** undefined when the header carried none (then time() is used). */
  readonly uidv: number | undefined;
  /** Version 2 file: must be rewritten. */
  readonly outdated: boolean;
  readonly entries: SizelistEntry[];
}

/** Courier's cmpmsgs: numeric prefix, then bytes until both names reach `:`. */
export function comparePop3Names(a: string, b: string): number {
  const na = Number.parseInt(a, 10) || 0;
  const nb = Number.parseInt(b, 10) || 0;
  if (na !== nb) return na < nb ? -1 : 1;
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  for (let i = 0; i < ab.length || i < bb.length; i++) {
    const ca = i < ab.length ? ab[i]! : 0;
    const cb = i < bb.length ? bb[i]! : 0;
    if (ca === 0x3a && cb === 0x3a) break;
    // signed char comparison as in C on x86
    const sa = ca > 127 ? ca - 256 : ca;
    const sb = cb > 127 ? cb - 256 : cb;
    if (sa !== sb) return sa < sb ? -1 : 1;
  }
  return 0;
}

export function parseSizelist(text: string): Sizelist | undefined {
  const nl = text.indexOf('\n');
  const header = nl < 0 ? text : text.slice(0, nl);
  const m = /^\/(\d+) (\d+)(?: (\d+))?/.exec(header);
  if (!m) return undefined;
  const version = Number(m[1]);
  if (version !== SIZELIST_VERSION && version !== SIZELIST_VERSION - 1) return undefined;
  const entries: SizelistEntry[] = [];
  const body = nl < 0 ? '' : text.slice(nl + 1);
  const lines = body.split('\n');
  lines.pop(); // only LF-terminated lines count (getc loop)
  for (const line of lines) {
    const p = line.lastIndexOf(' ');
    if (p < 0) continue;
    const q = line.lastIndexOf(' ', p - 1);
    if (q < 0) continue;
    const filename = line.slice(0, q);
    if (filename === '') continue;
    const f = /^(\d+) (\d+):(\d+)(?::(-?\d+))?/.exec(line.slice(q + 1));
    if (!f) continue;
    entries.push({
      filename,
      size: Number(f[1]),
      uid: Number(f[2]),
      uidv: Number(f[3]),
      utf8: f[4] !== undefined && Number(f[4]) !== 0,
    });
  }
  entries.sort((a, b) => comparePop3Names(a.filename, b.filename));
  return {
    nextUid: Number(m[2]),
    uidv: m[3] === undefined ? undefined : Number(m[3]),
    outdated: version !== SIZELIST_VERSION,
    entries,
  };
}

export async function readSizelist(path: string): Promise<Sizelist | undefined> {
  try {
    return parseSizelist(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
}

export function formatSizelist(nextUid: number, uidv: number, entries: readonly SizelistEntry[]): string {
  const lines = [`/${SIZELIST_VERSION} ${nextUid} ${uidv}\n`];
  for (const e of entries) lines.push(`${e.filename} ${e.size} ${e.uid}:${e.uidv}:${e.utf8 ? 1 : 0}\n`);
  return lines.join('');
}
