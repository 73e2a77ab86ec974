import { ArgReader } from './arg-reader.js';
import type { ImapDate } from './dates.js';
import { ImapSyntaxError } from './errors.js';
import { isValidKeyword } from './flags.js';
import { parseSequenceSet, type SequenceSet } from './sequence-set.js';
import type { ImapToken } from './tokens.js';

/** Parse tree of RFC 3501 `search-key` (section 6.4.4). Strings stay bytes; the CHARSET decides. */
export type SearchKey =
  | { readonly type: 'all' }
  | { readonly type: 'flag'; readonly flag: string; readonly set: boolean }
  | { readonly type: 'keyword'; readonly keyword: string; readonly set: boolean }
  | { readonly type: 'new' }
  | { readonly type: 'old' }
  | { readonly type: 'recent' }
  | { readonly type: 'header'; readonly field: string; readonly value: Buffer }
  | { readonly type: 'body'; readonly value: Buffer }
  | { readonly type: 'text'; readonly value: Buffer }
  /** `date` null = unparsable (Courier: matches nothing). */
  | {
      readonly type: 'date';
      readonly field: 'internal' | 'sent';
      readonly op: 'before' | 'on' | 'since';
      readonly date: ImapDate | null;
    }
  | { readonly type: 'size'; readonly op: 'larger' | 'smaller'; readonly size: number }
  | { readonly type: 'not'; readonly key: SearchKey }
  | { readonly type: 'or'; readonly left: SearchKey; readonly right: SearchKey }
  | { readonly type: 'and'; readonly keys: readonly SearchKey[] }
  | { readonly type: 'seq'; readonly set: SequenceSet }
  | { readonly type: 'uid'; readonly set: SequenceSet };

const FLAG_KEYS: Record<string, readonly [string, boolean]> = {
  ANSWERED: ['\\Answered', true],
  DELETED: ['\\Deleted', true],
  FLAGGED: ['\\Flagged', true],
  SEEN: ['\\Seen', true],
  DRAFT: ['\\Draft', true],
  UNANSWERED: ['\\Answered', false],
  UNDELETED: ['\\Deleted', false],
  UNFLAGGED: ['\\Flagged', false],
  UNSEEN: ['\\Seen', false],
  UNDRAFT: ['\\Draft', false],
};
const HEADER_KEYS: Record<string, string> = {
  BCC: 'Bcc',
  CC: 'Cc',
  FROM: 'From',
  SUBJECT: 'Subject',
  TO: 'To',
};
const DATE_KEYS: Record<string, readonly ['internal' | 'sent', 'before' | 'on' | 'since']> = {
  BEFORE: ['internal', 'before'],
  ON: ['internal', 'on'],
  SINCE: ['internal', 'since'],
  SENTBEFORE: ['sent', 'before'],
  SENTON: ['sent', 'on'],
  SENTSINCE: ['sent', 'since'],
};

const MAX_SEARCH_DEPTH = 64;

function readKey(r: ArgReader, depth: number): SearchKey {
  if (depth > MAX_SEARCH_DEPTH) throw new ImapSyntaxError('search keys nested too deeply');
  const t = r.token('search key');
  if (t.type === 'list') return readGroup(t.items, depth + 1);
  if (t.type !== 'atom') throw new ImapSyntaxError('invalid search key');
  const word = t.value.toUpperCase();
  const flag = FLAG_KEYS[word];
  if (flag !== undefined) return { type: 'flag', flag: flag[0], set: flag[1] };
  const header = HEADER_KEYS[word];
  if (header !== undefined) return { type: 'header', field: header, value: r.astringBytes() };
  const date = DATE_KEYS[word];
  if (date !== undefined) return { type: 'date', field: date[0], op: date[1], date: r.date() };
  switch (word) {
    case 'ALL':
      return { type: 'all' };
    case 'NEW':
      return { type: 'new' };
    case 'OLD':
      return { type: 'old' };
    case 'RECENT':
      return { type: 'recent' };
    case 'KEYWORD':
    case 'UNKEYWORD': {
      const keyword = r.atom('keyword');
      if (!isValidKeyword(keyword)) throw new ImapSyntaxError(`invalid keyword: ${keyword}`);
      return { type: 'keyword', keyword, set: word === 'KEYWORD' };
    }
    case 'HEADER':
      return { type: 'header', field: r.astring('header name'), value: r.astringBytes() };
    case 'BODY':
      return { type: 'body', value: r.astringBytes() };
    case 'TEXT':
      return { type: 'text', value: r.astringBytes() };
    case 'LARGER':
    case 'SMALLER':
      return { type: 'size', op: word === 'LARGER' ? 'larger' : 'smaller', size: r.number('size') };
    case 'NOT':
      return { type: 'not', key: readKey(r, depth + 1) };
    case 'OR': {
      const left = readKey(r, depth + 1);
      return { type: 'or', left, right: readKey(r, depth + 1) };
    }
    case 'UID':
      return { type: 'uid', set: r.sequenceSet() };
    default:
      return { type: 'seq', set: parseSequenceSet(t.value) };
  }
}

function readGroup(tokens: readonly ImapToken[], depth: number): SearchKey {
  const r = new ArgReader(tokens);
  const keys: SearchKey[] = [];
  while (r.remaining > 0) keys.push(readKey(r, depth));
  if (keys.length === 0) throw new ImapSyntaxError('empty search key list');
  return keys.length === 1 ? keys[0]! : { type: 'and', keys };
}

export interface SearchProgram {
  /** `CHARSET x` if given (upper-cased), else null. */
  readonly charset: string | null;
  readonly key: SearchKey;
}

/** Parses SEARCH's arguments: `[CHARSET astring] 1*search-key`, implicitly ANDed. */
export function parseSearchKeys(args: readonly ImapToken[]): SearchProgram {
  const r = new ArgReader(args);
  let charset: string | null = null;
  if (r.peekAtom('CHARSET')) {
    r.token();
    charset = r.astring('charset').toUpperCase();
  }
  const rest: ImapToken[] = [];
  while (r.remaining > 0) rest.push(r.token());
  return { charset, key: readGroup(rest, 0) };
}
