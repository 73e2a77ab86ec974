/**
 * RFC 822 header tokenizer with Courier's exact rules (courier-libs rfc822/rfc822.c), so that
 * MIME parameters, Content-ID and address lists come out byte for byte as Courier shows them.
 *
 * Text is a "binary string": one char per byte (latin1), as Courier works on bytes.
 */

/** `''` = atom, `'"'` = quoted string, `'('` = comment, else the special character itself. */
export type TokenKind = string;

export interface Rfc822Token {
  kind: TokenKind;
  /** Start in the source text: quoted strings start after the quote, comments at the `(`. */
  ptr: number;
  /** Quoted: content length (escapes kept); comment: length with both parentheses. */
  len: number;
}

/** Characters that end an atom. */
const SPECIALS = '<>@,;:.[]()%!"\\?=/';
/** Character codes that end an atom: SPECIALS and C isspace() (a constant table). */
const ATOM_END: Readonly<Uint8Array> = (() => {
  const t = new Uint8Array(256);
  for (const c of `${SPECIALS} \t\n\r\v\f`) t[c.charCodeAt(0)] = 1;
  return t;
})();

/** RFC822_SPECIALS of courier-libs (used by the encoded-word exception). */
export const RFC822_SPECIALS = '()<>[]:;@\\,."';

/** C isspace() in the C locale. */
export function isCSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';
}

/** Atom-like tokens: atoms, quoted strings and comments (rfc822_is_atom). */
export function isAtomKind(kind: TokenKind): boolean {
  return kind === '' || kind === '"' || kind === '(';
}

function scanComment(s: string, i: number, out: Rfc822Token[]): number | null {
  const start = i;
  let len = 0;
  let level = 0;
  for (;;) {
    if (i >= s.length) {
      out.push({ kind: '"', ptr: start, len });
      return null;
    }
    if (s[i] === '(') level++;
    if (s[i] === ')' && --level === 0) {
      out.push({ kind: '(', ptr: start, len: len + 1 });
      return i + 1;
    }
    if (s[i] === '\\' && s.length - i > 1) {
      i++;
      len++;
    }
    i++;
    len++;
  }
}

function scanQuoted(s: string, i: number, out: Rfc822Token[]): number | null {
  const start = i;
  let len = 0;
  while (s[i] !== '"') {
    if (i >= s.length) {
      out.push({ kind: '"', ptr: start, len });
      return null;
    }
    if (s[i] === '\\' && s.length - i > 1) {
      len++;
      i++;
    }
    len++;
    i++;
  }
  out.push({ kind: '"', ptr: start, len });
  return i + 1;
}

/** Character codes of RFC822_SPECIALS and C isspace() (end an encoded word). */
const WORD_END: Readonly<Uint8Array> = (() => {
  const t = new Uint8Array(256);
  for (const c of `${RFC822_SPECIALS} \t\n\r\v\f`) t[c.charCodeAt(0)] = 1;
  return t;
})();

/** Character codes of SPECIALS. */
const SPECIAL: Readonly<Uint8Array> = (() => {
  const t = new Uint8Array(256);
  for (const c of SPECIALS) t[c.charCodeAt(0)] = 1;
  return t;
})();

/** C isspace() of a character code. */
function isSpaceCode(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** Length of an encoded word `=?...?=` starting at i, or 0. */
function encodedWordLength(s: string, i: number): number {
  const plen = s.length - i;
  let j = 2;
  for (; j < plen; j++) {
    const c = s.charCodeAt(i + j);
    if (c === 0x3f && j + 1 < plen && s.charCodeAt(i + j + 1) === 0x3d) break;
    if (c === 0x3f || c === 0x3d) continue;
    if (c < 256 && WORD_END[c] === 1) break;
  }
  return j + 1 < plen && s.charCodeAt(i + j) === 0x3f && s.charCodeAt(i + j + 1) === 0x3d ? j + 2 : 0;
}

export function tokenizeRfc822(s: string): Rfc822Token[] {
  const out: Rfc822Token[] = [];
  let inBracket = false;
  let i = 0;
  const n = s.length;
  while (i < n) {
    const code = s.charCodeAt(i);
    if (isSpaceCode(code)) {
      i++;
      continue;
    }
    if (code === 0x28) {
      const next = scanComment(s, i, out);
      if (next === null) return out;
      i = next;
      continue;
    }
    if (code === 0x22) {
      const next = scanQuoted(s, i + 1, out);
      if (next === null) return out;
      i = next;
      continue;
    }
    if (code === 0x5c || code === 0x29) {
      i++;
      continue;
    }
    if (code === 0x3d && s.charCodeAt(i + 1) === 0x3f) {
      const len = encodedWordLength(s, i);
      if (len > 0) {
        out.push({ kind: '', ptr: i, len });
        i += len;
        continue;
      }
    }
    if (code < 256 && SPECIAL[code] === 1) {
      if ((code === 0x3c && inBracket) || (code === 0x3e && !inBracket)) {
        i++;
        continue;
      }
      if (code === 0x3c) inBracket = true;
      if (code === 0x3e) inBracket = false;
      out.push({ kind: s[i]!, ptr: i, len: 1 });
      if (code === 0x3c && s.charCodeAt(i + 1) === 0x3e) out.push({ kind: '', ptr: i + 1, len: 0 });
      i++;
      continue;
    }
    const start = i;
    for (let c = code; i < n && (c > 255 || ATOM_END[c] === 0); ) c = s.charCodeAt(++i);
    out.push({ kind: '', ptr: start, len: i - start });
  }
  return out;
}

/** paste_tokens(): atoms and quoted strings as raw text (escapes kept), specials as themselves, no comments. */
export function pasteTokens(
  s: string,
  tokens: readonly Rfc822Token[],
  start = 0,
  count = tokens.length - start,
): string {
  let out = '';
  for (let k = start; k < start + count; k++) {
    const t = tokens[k]!;
    if (t.kind === '(') continue;
    out += isAtomKind(t.kind) ? s.slice(t.ptr, t.ptr + t.len) : t.kind;
  }
  return out;
}

/** ASCII-only lower-casing, as C tolower() in the C locale. */
export function asciiLower(s: string): string {
  return /[^\x00-\x7f]/.test(s) ? s.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : s.toLowerCase();
}
