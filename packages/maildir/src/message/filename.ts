/** Maildir file names: `<unique>[:2,<FLAGS>]`, `,S=<size>` inside the unique part, Courier's sort order. */
import type { MaildirFlag } from '../types.js';

const FLAG_LETTERS = new Set<string>(['D', 'F', 'R', 'S', 'T']);

export interface ParsedName {
  /** Unique part: everything before the last `:` (what courierimapuiddb stores). */
  readonly key: string;
  /** System flags found after `:2,`. */
  readonly flags: ReadonlySet<MaildirFlag>;
  /** Other uppercase/lowercase letters after `:2,` we do not interpret but keep on rename. */
  readonly otherFlags: string;
  /** Size from `,S=<n>`, when present. */
  readonly sizeHint: number | undefined;
}

/** Strips the info suffix at the LAST `:` as Courier's scanner does (strrchr). */
export function keyOf(filename: string): string {
  const i = filename.lastIndexOf(':');
  return i < 0 ? filename : filename.slice(0, i);
}

export function parseName(filename: string): ParsedName {
  const i = filename.lastIndexOf(':');
  const key = i < 0 ? filename : filename.slice(0, i);
  const flags = new Set<MaildirFlag>();
  let otherFlags = '';
  if (i >= 0 && filename.startsWith('2,', i + 1)) {
    for (const ch of filename.slice(i + 3)) {
      if (FLAG_LETTERS.has(ch)) flags.add(ch as MaildirFlag);
      else if (!otherFlags.includes(ch)) otherFlags += ch;
    }
  }
  return { key, flags, otherFlags, sizeHint: sizeFromName(key) };
}

/** `,S=<digits>` in the unique part (Courier's maildir_parsequota). */
export function sizeFromName(key: string): number | undefined {
  const m = /,S=(\d+)(?:[,:]|$)/.exec(key);
  if (!m) return undefined;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** `:2,` + letters in ASCII order (D F R S T is alphabetical), keeping unknown letters. */
export function infoSuffix(flags: Iterable<MaildirFlag>, otherFlags = ''): string {
  const letters = new Set<string>([...flags, ...otherFlags]);
  return `:2,${[...letters].sort().join('')}`;
}

export function curName(key: string, flags: Iterable<MaildirFlag>, otherFlags = ''): string {
  return key + infoSuffix(flags, otherFlags);
}

/** atol(): optional blanks and sign, then digits. */
function leadingNumber(s: string): number {
  let i = 0;
  while (i < s.length && (s.charCodeAt(i) === 32 || (s.charCodeAt(i) >= 9 && s.charCodeAt(i) <= 13))) i++;
  let sign = 1;
  if (s[i] === '-' || s[i] === '+') {
    if (s[i] === '-') sign = -1;
    i++;
  }
  let n = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    n = n * 10 + c;
  }
  return sign * n;
}

/**
 * Courier's fnamcmp (imapscanclient.c): compare the leading decimal numbers, then byte by byte
 * with `:` acting as the end of the string.
 */
export function compareNames(a: string, b: string): number {
  const an = leadingNumber(a);
  const bn = leadingNumber(b);
  if (an !== bn) return an < bn ? -1 : 1;
  for (let i = 0; ; i++) {
    let ca = i < a.length ? a.charCodeAt(i) : 0;
    let cb = i < b.length ? b.charCodeAt(i) : 0;
    if (ca === 0x3a) ca = 0;
    if (cb === 0x3a) cb = 0;
    if (ca === 0 || cb === 0 || ca !== cb) {
      // Non-ASCII: compare the UTF-8 bytes from here, as C does.
      if (ca >= 0x80 || cb >= 0x80) return compareBytesFrom(a.slice(i), b.slice(i));
      return ca - cb;
    }
  }
}

function compareBytesFrom(a: string, b: string): number {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  for (let i = 0; ; i++) {
    let ca = i < ab.length ? ab[i]! : 0;
    let cb = i < bb.length ? bb[i]! : 0;
    if (ca === 0x3a) ca = 0;
    if (cb === 0x3a) cb = 0;
    if (ca === 0 || cb === 0 || ca !== cb) return ca - cb;
  }
}
