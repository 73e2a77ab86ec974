/**
 * Address lists as Courier splits them (courier-libs rfc822/rfc822.c parseaddr, and the
 * display-name and token printers used by imapd's ENVELOPE).
 */
import { isAtomKind, isCSpace, type Rfc822Token, tokenizeRfc822 } from './rfc822-tokens.js';

/**
 * One entry: a mailbox (`tokens` set, `name` optional) or, with `tokens` null, a group
 * start (`name` ends with `:`) or a group end (`name` = `;`).
 */
export interface Rfc822Address {
  readonly name: readonly Rfc822Token[] | null;
  readonly tokens: readonly Rfc822Token[] | null;
}

function copy(t: Rfc822Token): Rfc822Token {
  return { kind: t.kind, ptr: t.ptr, len: t.len };
}

/** Splits a token list into addresses, groups and group ends. */
export function parseAddresses(tokensIn: readonly Rfc822Token[]): Rfc822Address[] {
  const tokens = tokensIn.map(copy);
  const out: Rfc822Address[] = [];
  let p = 0;
  const n = tokens.length;
  while (p < n) {
    let i = p;
    while (i < n && (tokens[i]!.kind === '' || tokens[i]!.kind === '"')) i++;
    if (i < n && tokens[i]!.kind === ':') {
      out.push({ name: tokens.slice(p, i + 1), tokens: null });
      p = i + 1;
      continue;
    }
    const first = tokens[p]!;
    if (first.kind === ',' || first.kind === ';') {
      if (first.kind === ';') out.push({ name: [first], tokens: null });
      p++;
      continue;
    }
    i = p;
    while (i < n && tokens[i]!.kind !== ';' && tokens[i]!.kind !== ',' && tokens[i]!.kind !== '<') i++;
    if (i < n && tokens[i]!.kind === '<') {
      out.push(angleAddress(tokens, p, i));
      let j = i + 1;
      while (j < n && tokens[j]!.kind !== '>') j++;
      p = j < n ? j + 1 : j;
      continue;
    }
    const end = oldStyleEnd(tokens, p);
    if (end === p) {
      p++;
      continue;
    }
    out.push(oldStyleAddress(tokens, p, end));
    p = end;
  }
  return out;
}

function angleAddress(tokens: Rfc822Token[], p: number, lt: number): Rfc822Address {
  let name: Rfc822Token[] | null = null;
  if (lt > p) {
    let j = p;
    while (j < lt && (tokens[j]!.kind === '' || tokens[j]!.kind === '(')) j++;
    if (j === lt) {
      name = tokens.slice(p, lt);
    } else {
      const a = tokens[p]!;
      const b = tokens[lt - 1]!;
      name = [{ kind: '"', ptr: a.ptr, len: b.ptr + b.len - a.ptr }];
    }
    for (const t of name) if (t.kind === '(') t.kind = '"';
  }
  let k = lt + 1;
  while (k < tokens.length && tokens[k]!.kind !== '>') k++;
  const addr = tokens.slice(lt + 1, k);
  return { name, tokens: addr.length > 0 ? addr : null };
}

/** Old-style address ends at `,`, `;` or two consecutive atoms. */
function oldStyleEnd(tokens: readonly Rfc822Token[], p: number): number {
  let flag = false;
  let i = p;
  for (; i < tokens.length && tokens[i]!.kind !== ',' && tokens[i]!.kind !== ';'; i++) {
    const k = tokens[i]!.kind;
    if (k === '(') continue;
    if (k === '' || k === '"') {
      if (flag) break;
      flag = true;
    } else flag = false;
  }
  return i;
}

function oldStyleAddress(tokens: readonly Rfc822Token[], p: number, end: number): Rfc822Address {
  const kept: Rfc822Token[] = [];
  let comment: Rfc822Token | null = null;
  for (let j = p; j < end; j++) {
    const t = tokens[j]!;
    if (t.kind === '(') comment = t;
    else kept.push(t);
  }
  return { name: comment === null ? null : [comment], tokens: kept.length > 0 ? kept : null };
}

function removeEscapes(text: string): string {
  return text.includes('\\') ? text.replace(/\\([\s\S])/g, '$1') : text;
}

/** rfc822_display_name with no character set: the phrase as text, quotes and escapes removed. */
export function displayName(s: string, name: readonly Rfc822Token[]): string {
  let out = '';
  let prevAtom = false;
  for (const t of name) {
    const atom = isAtomKind(t.kind);
    if (atom && prevAtom) out += ' ';
    prevAtom = atom;
    if (t.kind === '"' || t.kind === '(') {
      const text =
        t.kind === '(' ? s.slice(t.ptr + 1, t.ptr + Math.max(t.len - 1, 1)) : s.slice(t.ptr, t.ptr + t.len);
      out += removeEscapes(text);
    } else if (t.kind !== '') {
      out += t.kind;
    } else {
      out += s.slice(t.ptr, t.ptr + t.len);
    }
  }
  return out;
}

function printQuoted(content: string): string {
  let out = '"';
  for (let i = 0; i < content.length; i++) {
    const c = content[i]!;
    const last = i === content.length - 1;
    if (c === '"' || (c === '\\' && last)) out += '\\';
    if (c === '\\' && !last) {
      out += '\\';
      i++;
      out += content[i]!;
      continue;
    }
    out += c;
  }
  return `${out}"`;
}

/** rfc822_gettok: the address as text, atoms separated by a space, quoted strings re-quoted. */
export function addressText(s: string, tokens: readonly Rfc822Token[]): string {
  let out = '';
  let prevAtom = false;
  for (const t of tokens) {
    const atom = isAtomKind(t.kind);
    if (atom && prevAtom) out += ' ';
    prevAtom = atom;
    if (t.kind === '' || t.kind === '(') out += s.slice(t.ptr, t.ptr + t.len);
    else if (t.kind === '"') out += printQuoted(s.slice(t.ptr, t.ptr + t.len));
    else out += t.kind;
  }
  return out;
}

/** Tokenizes and splits an address header value. */
export function parseAddressList(value: string): { text: string; addresses: Rfc822Address[] } {
  return { text: value, addresses: parseAddresses(tokenizeRfc822(value)) };
}

/** Trims C whitespace on both ends (doenvs). */
export function trimCSpace(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isCSpace(s[a])) a++;
  while (b > a && isCSpace(s[b - 1])) b--;
  return s.slice(a, b);
}
