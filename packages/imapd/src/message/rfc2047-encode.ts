/**
 * RFC 2047 encoding of raw 8-bit header text, as Courier's imapd does for ENVELOPE and
 * BODYSTRUCTURE strings when UTF8=ACCEPT is off (courier-libs rfc822/rfc2047.c
 * rfc2047_encode_str with "utf-8" and rfc2047_qp_allow_any): runs of words needing encoding
 * become encoded words, Q or B whichever is shorter, split to fit 76-column lines.
 */

const FOLD = 76;
/** Anything courierQuotedText has to change. */
const NEEDS_WORK = /[\r\n\0"\\\x80-\xff]/;
const HEX = '0123456789ABCDEF';
const GRAPHEME_EXTEND = /^[\p{Grapheme_Extend}\u200d]$/u;

function isSpace(cp: number): boolean {
  return cp === 0x09 || cp === 0x0d || cp === 0x0a || cp === 0x20;
}

/** DOENCODEWORD with qp_allow_any. */
function needsEncoding(cp: number): boolean {
  return cp < 0x20 || cp > 0x7f || cp === 0x22 || cp === 0x5f || cp === 0x3d || cp === 0x3f;
}

/** Scans one word from i; returns [end, needs encoding]. */
function word(cps: readonly number[], i: number): [number, boolean] {
  let enc = false;
  for (; i < cps.length && !isSpace(cps[i]!); i++) if (needsEncoding(cps[i]!)) enc = true;
  return [i, enc];
}

/** A run of words that all need encoding (or the single word that does not). */
function words(cps: readonly number[], start: number): [number, boolean] {
  let [end, flag] = word(cps, start);
  if (!flag) return [end, false];
  let j = end;
  while (j < cps.length) {
    if (isSpace(cps[j]!)) {
      j++;
      continue;
    }
    const [k, enc] = word(cps, j);
    if (!enc) break;
    end = k;
    j = k;
  }
  return [end, true];
}

function graphemeBreak(a: number, b: number): boolean {
  if (a === 0x0d && b === 0x0a) return false;
  if (a === 0x200d) return false;
  return !GRAPHEME_EXTEND.test(String.fromCodePoint(b));
}

function encodeQ(bytes: Buffer): string {
  let out = '=?utf-8?Q?';
  for (const b of bytes) {
    if (b === 0x20) out += '_';
    else if (b < 0x20 || b > 0x7f || b === 0x22 || b === 0x5f || b === 0x3d || b === 0x3f) {
      out += `=${HEX[b >> 4]}${HEX[b & 15]}`;
    } else out += String.fromCharCode(b);
  }
  return `${out}?=`;
}

function encodeB(bytes: Buffer): string {
  return `=?utf-8?B?${bytes.toString('base64')}?=`;
}

function chunks(cps: readonly number[], offset: number): Buffer[] {
  const out: Buffer[] = [];
  let rest = cps;
  while (rest.length > 0) {
    let j = Math.floor((FOLD - offset) / 2);
    if (j >= rest.length) j = rest.length;
    else {
      for (let i = j; i > 0; i--) {
        if (graphemeBreak(rest[i - 1]!, rest[i]!)) {
          j = i;
          break;
        }
      }
    }
    out.push(Buffer.from(String.fromCodePoint(...rest.slice(0, j)), 'utf8'));
    rest = rest.slice(j);
    offset = 0;
  }
  return out;
}

function encodeRun(cps: readonly number[], offset: number): string {
  const parts = chunks(cps, offset);
  const q = parts.map(encodeQ);
  const b = parts.map(encodeB);
  const qLen = q.reduce((n, s) => n + s.length, 0);
  const bLen = b.reduce((n, s) => n + s.length, 0);
  return (qLen < bLen ? q : b).join(' ');
}

/**
 * Encodes `text` (UTF-8 bytes as a binary string; bytes that are not valid UTF-8 are dropped,
 * as Courier's conversion drops them). Returns a binary (ASCII) string.
 */
export function rfc2047EncodeCourier(text: string): string {
  const decoded = Buffer.from(text, 'latin1')
    .toString('utf8')
    .replace(/\uFFFD/g, '');
  const cps = Array.from(decoded, (c) => c.codePointAt(0)!);
  let out = '';
  let offset = 27;
  let i = 0;
  while (i < cps.length) {
    if (isSpace(cps[i]!)) {
      out += String.fromCharCode(cps[i]!);
      i++;
      continue;
    }
    const [end, flag] = words(cps, i);
    const run = cps.slice(i, end);
    out += flag ? encodeRun(run, offset) : String.fromCodePoint(...run);
    offset = 0;
    i = end;
  }
  return out;
}

/**
 * Courier's msgappends: the text of an IMAP quoted string (without the quotes). 8-bit text
 * is RFC 2047-encoded first unless UTF8=ACCEPT is on; `"` and `\` are escaped; CR, LF and
 * NUL become spaces.
 */
export function courierQuotedText(text: string, utf8: boolean): string {
  if (!NEEDS_WORK.test(text)) return text;
  // CR, LF and NUL cannot travel in a quoted string; Courier sends them raw (see DEVIATIONS.md).
  let s = text.replace(/[\r\n\0]/g, ' ');
  if (!utf8 && /[\x80-\xff]/.test(s)) s = rfc2047EncodeCourier(s);
  return s.replace(/["\\]/g, '\\$&');
}

/** `"..."` per msgappends, or NIL when null. */
export function courierString(text: string | null, utf8: boolean): string {
  return text === null ? 'NIL' : `"${courierQuotedText(text, utf8)}"`;
}
