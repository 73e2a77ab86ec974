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
  /** pop3SortKey of each entry, in the same order. */
  readonly keys: Pop3SortKey[];
}

const COLON = 0x3a;
const NON_ASCII = /[\u0080-\uffff]/;

/**
 * A name's place in Courier's cmpmsgs order, computed once (a sort of 10,000 names compares each
 * ~14 times). cmpmsgs compares bytes until both names reach `:` together, so only the name up to
 * and including its first `:` matters.
 */
export interface Pop3SortKey {
  readonly num: number;
  /** The name through its first `:` (all of it when it has none). */
  readonly head: string;
  /** head is 7-bit: JS string order is C's byte order then. */
  readonly ascii: boolean;
}

export function pop3SortKey(name: string): Pop3SortKey {
  const colon = name.indexOf(':');
  const head = colon < 0 ? name : name.slice(0, colon + 1);
  return { num: Number.parseInt(name, 10) || 0, head, ascii: !NON_ASCII.test(head) };
}

/** Byte order with C's signed chars (x86), the end of a name reading as 0. */
function compareSignedBytes(a: string, b: string): number {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  for (let i = 0; i < ab.length || i < bb.length; i++) {
    const ca = i < ab.length ? ab[i]! : 0;
    const cb = i < bb.length ? bb[i]! : 0;
    if (ca === COLON && cb === COLON) break;
    const sa = ca > 127 ? ca - 256 : ca;
    const sb = cb > 127 ? cb - 256 : cb;
    if (sa !== sb) return sa < sb ? -1 : 1;
  }
  return 0;
}

/** comparePop3Names on precomputed keys. */
export function comparePop3Keys(a: Pop3SortKey, b: Pop3SortKey): number {
  if (a.num !== b.num) return a.num < b.num ? -1 : 1;
  if (a.ascii && b.ascii) return a.head === b.head ? 0 : a.head < b.head ? -1 : 1;
  return compareSignedBytes(a.head, b.head);
}

/** Courier's cmpmsgs: numeric prefix, then bytes until both names reach `:`. */
export function comparePop3Names(a: string, b: string): number {
  return comparePop3Keys(pop3SortKey(a), pop3SortKey(b));
}

/** Names in cmpmsgs order, each with its key (for merging with the sizelist). */
export function sortPop3Names(names: readonly string[]): { name: string; key: Pop3SortKey }[] {
  const out = names.map((name) => ({ name, key: pop3SortKey(name) }));
  out.sort((x, y) => comparePop3Keys(x.key, y.key));
  return out;
}

/** Decimal digits at text[from..]: [value, end], end === from when there are none. */
function digits(text: string, from: number, to: number): [number, number] {
  let v = 0;
  let i = from;
  for (; i < to; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    v = v * 10 + c;
  }
  return [i === from ? 0 : i - from > 15 ? Number(text.slice(from, i)) : v, i];
}

/** One `<name> <size> <uid>:<uidv>[:<utf8>]` line in [s, e), as pop3dserver.c reads it. */
function parseLine(text: string, s: number, e: number): SizelistEntry | undefined {
  const p = text.lastIndexOf(' ', e - 1);
  if (p < s) return undefined;
  const q = p > s ? text.lastIndexOf(' ', p - 1) : -1;
  if (q <= s) return undefined; // no second space, or an empty name
  const [size, a] = digits(text, q + 1, p);
  if (a === q + 1 || a !== p) return undefined;
  const [uid, b] = digits(text, p + 1, e);
  if (b === p + 1 || text.charCodeAt(b) !== COLON || b >= e) return undefined;
  const [uidv, c] = digits(text, b + 1, e);
  if (c === b + 1) return undefined;
  let utf8 = false;
  if (c < e && text.charCodeAt(c) === COLON) {
    const neg = text.charCodeAt(c + 1) === 0x2d && c + 1 < e;
    const [flag, d] = digits(text, c + 1 + (neg ? 1 : 0), e);
    // `:-0` is a number (-0 !== 0 is false, so still not utf8); `:` or `:-` alone is no field.
    if (d !== c + 1 + (neg ? 1 : 0)) utf8 = flag !== 0;
  }
  return { filename: text.slice(s, q), size, uid, uidv, utf8 };
}

export function parseSizelist(text: string): Sizelist | undefined {
  const nl = text.indexOf('\n');
  const end = nl < 0 ? text.length : nl;
  // header: /^\/(\d+) (\d+)(?: (\d+))?/
  if (text.charCodeAt(0) !== 0x2f) return undefined;
  const [version, v1] = digits(text, 1, end);
  if (v1 === 1 || text.charCodeAt(v1) !== 0x20 || v1 >= end) return undefined;
  const [nextUid, v2] = digits(text, v1 + 1, end);
  if (v2 === v1 + 1) return undefined;
  let uidv: number | undefined;
  if (v2 < end && text.charCodeAt(v2) === 0x20) {
    const [u, v3] = digits(text, v2 + 1, end);
    if (v3 !== v2 + 1) uidv = u;
  }
  if (version !== SIZELIST_VERSION && version !== SIZELIST_VERSION - 1) return undefined;
  const entries: SizelistEntry[] = [];
  // only LF-terminated lines count (getc loop)
  let sorted = true;
  let prev: Pop3SortKey | undefined;
  const keys: Pop3SortKey[] = [];
  for (let s = nl < 0 ? text.length : nl + 1; s < text.length; ) {
    const e = text.indexOf('\n', s);
    if (e < 0) break;
    const entry = parseLine(text, s, e);
    s = e + 1;
    if (!entry) continue;
    const key = pop3SortKey(entry.filename);
    if (prev && comparePop3Keys(prev, key) > 0) sorted = false;
    prev = key;
    entries.push(entry);
    keys.push(key);
  }
  // Courier writes it in order: sort only a file that is not (the sort is stable, as before).
  if (!sorted) {
    const idx = entries.map((_, i) => i);
    idx.sort((x, y) => comparePop3Keys(keys[x]!, keys[y]!) || x - y);
    const copy = entries.slice();
    const copyKeys = keys.slice();
    for (let i = 0; i < idx.length; i++) {
      entries[i] = copy[idx[i]!]!;
      keys[i] = copyKeys[idx[i]!]!;
    }
  }
  return { nextUid, uidv, outdated: version !== SIZELIST_VERSION, entries, keys };
}

export async function readSizelist(path: string): Promise<Sizelist | undefined> {
  try {
    // Decoded in one piece: a flat string (readFile's 'utf8' builds it chunk by chunk).
    return parseSizelist((await readFile(path)).toString('utf8'));
  } catch {
    return undefined;
  }
}

export function formatSizelist(nextUid: number, uidv: number, entries: readonly SizelistEntry[]): string {
  let out = `/${SIZELIST_VERSION} ${nextUid} ${uidv}\n`;
  for (const e of entries) out += `${e.filename} ${e.size} ${e.uid}:${e.uidv}:${e.utf8 ? 1 : 0}\n`;
  return out;
}
