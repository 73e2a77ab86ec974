/**
 * SEARCH program -> the form the matcher evaluates: strings converted from the CHARSET and folded,
 * flags mapped to maildir letters, content keys numbered so one pass over a message answers them all.
 */
import type { MaildirFlag } from '@courier-ts/maildir';
import type { ImapDate } from '../protocol/dates.js';
import type { SearchKey, SearchProgram } from '../protocol/search-keys.js';
import type { SequenceSet } from '../protocol/sequence-set.js';
import { decodeCharset, isSupportedCharset } from './charset.js';
import { foldNeedle } from './text-matcher.js';

export type DateOp = 'before' | 'on' | 'since';

export type CompiledKey =
  | { readonly k: 'all' }
  | { readonly k: 'flag'; readonly letter: MaildirFlag; readonly set: boolean }
  | { readonly k: 'keyword'; readonly keyword: string; readonly set: boolean }
  | { readonly k: 'new' | 'old' | 'recent' }
  | { readonly k: 'internal'; readonly op: DateOp; readonly date: ImapDate | null }
  | { readonly k: 'size'; readonly op: 'larger' | 'smaller'; readonly size: number }
  | { readonly k: 'seq' | 'uid'; readonly set: SequenceSet }
  | { readonly k: 'not'; readonly key: CompiledKey }
  | { readonly k: 'or'; readonly left: CompiledKey; readonly right: CompiledKey }
  | { readonly k: 'and'; readonly keys: readonly CompiledKey[] }
  | ContentKey;

/** Keys answered by reading the message; `id` indexes the per-message result array. */
export type ContentKey =
  | { readonly k: 'header'; readonly id: number; readonly field: string; readonly needle: string }
  | { readonly k: 'sent'; readonly id: number; readonly op: DateOp; readonly date: ImapDate | null }
  | { readonly k: 'body' | 'text'; readonly id: number; readonly needle: string };

export interface CompiledSearch {
  readonly root: CompiledKey;
  readonly content: readonly ContentKey[];
  /** Some key needs message bodies (BODY/TEXT), not only header blocks. */
  readonly needsBody: boolean;
  /** Some key needs INTERNALDATE or the size (a lazily opened folder must measure first). */
  readonly needsDetails: boolean;
}

export type CompileResult = { readonly ok: true; readonly search: CompiledSearch } | { readonly ok: false };

const FLAG_LETTERS: Record<string, MaildirFlag> = {
  '\\answered': 'R',
  '\\flagged': 'F',
  '\\deleted': 'T',
  '\\seen': 'S',
  '\\draft': 'D',
};

/** Compiles a parsed program; `{ ok: false }` = the charset is not supported (`[BADCHARSET]`). */
export function compileSearch(
  program: SearchProgram | { charset: string | null; key: SearchKey },
): CompileResult {
  const charset = program.charset ?? 'UTF-8';
  if (!isSupportedCharset(charset)) return { ok: false };
  const content: ContentKey[] = [];
  let bad = false;
  const text = (b: Buffer): string => {
    const s = decodeCharset(b, charset);
    if (s === undefined) {
      bad = true;
      return '';
    }
    return foldNeedle(s);
  };
  const walk = (key: SearchKey): CompiledKey => {
    switch (key.type) {
      case 'all':
        return { k: 'all' };
      case 'flag':
        return { k: 'flag', letter: FLAG_LETTERS[key.flag.toLowerCase()] ?? 'S', set: key.set };
      case 'keyword':
        return { k: 'keyword', keyword: key.keyword.toLowerCase(), set: key.set };
      case 'new':
      case 'old':
      case 'recent':
        return { k: key.type };
      case 'date':
        if (key.field === 'internal') return { k: 'internal', op: key.op, date: key.date };
        return push({ k: 'sent', id: content.length, op: key.op, date: key.date });
      case 'size':
        return { k: 'size', op: key.op, size: key.size };
      case 'seq':
        return { k: 'seq', set: key.set };
      case 'uid':
        return { k: 'uid', set: key.set };
      case 'not':
        return { k: 'not', key: walk(key.key) };
      case 'or':
        return { k: 'or', left: walk(key.left), right: walk(key.right) };
      case 'and':
        return { k: 'and', keys: key.keys.map(walk) };
      case 'header':
        return push({
          k: 'header',
          id: content.length,
          field: key.field.toLowerCase(),
          needle: text(key.value),
        });
      case 'body':
      case 'text':
        return push({ k: key.type, id: content.length, needle: text(key.value) });
    }
  };
  const push = (c: ContentKey): ContentKey => {
    content.push(c);
    return c;
  };
  const root = walk(program.key);
  if (bad) return { ok: false };
  const needsBody = content.some((c) => c.k === 'body' || c.k === 'text');
  return { ok: true, search: { root, content, needsBody, needsDetails: usesDetails(root) } };
}

/** INTERNALDATE or size keys anywhere in the tree. */
function usesDetails(k: CompiledKey): boolean {
  switch (k.k) {
    case 'internal':
    case 'size':
      return true;
    case 'not':
      return usesDetails(k.key);
    case 'or':
      return usesDetails(k.left) || usesDetails(k.right);
    case 'and':
      return k.keys.some(usesDetails);
    default:
      return false;
  }
}
