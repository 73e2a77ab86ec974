import { ImapSyntaxError } from './errors.js';
import type { ImapToken } from './tokens.js';

export type SectionSpecifier = 'HEADER' | 'HEADER.FIELDS' | 'HEADER.FIELDS.NOT' | 'TEXT' | 'MIME';

/** `BODY[1.2.HEADER.FIELDS (From To)]`: part path (empty = whole message), specifier, field names. */
export interface FetchSection {
  readonly part: readonly number[];
  readonly specifier: SectionSpecifier | null;
  /** Header names as the client sent them (HEADER.FIELDS[.NOT] only). */
  readonly fields: readonly string[];
}

export interface FetchPartial {
  readonly start: number;
  /** null for Courier's `<n>` without a length. */
  readonly length: number | null;
}

export type SimpleFetchItem =
  | 'FLAGS'
  | 'INTERNALDATE'
  | 'RFC822.SIZE'
  | 'UID'
  | 'ENVELOPE'
  | 'BODY'
  | 'BODYSTRUCTURE'
  | 'RFC822'
  | 'RFC822.HEADER'
  | 'RFC822.TEXT';

export type FetchItem =
  | { readonly kind: SimpleFetchItem }
  | {
      readonly kind: 'BODY[]';
      readonly peek: boolean;
      readonly section: FetchSection;
      readonly partial: FetchPartial | null;
    };

const SIMPLE = new Set<string>([
  'FLAGS',
  'INTERNALDATE',
  'RFC822.SIZE',
  'UID',
  'ENVELOPE',
  'BODY',
  'BODYSTRUCTURE',
  'RFC822',
  'RFC822.HEADER',
  'RFC822.TEXT',
]);

const MACROS: Record<string, readonly SimpleFetchItem[]> = {
  ALL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE'],
  FAST: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE'],
  FULL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODY'],
};

const BODY_SECTION =
  /^(BODY|BODY\.PEEK)\[([^\]]*(?:"[^"]*"[^\]]*)*)\](?:<([0-9]{1,10})(?:\.([0-9]{1,10}))?>)?$/is;
const PART = /^[1-9][0-9]{0,8}$/;

/** Splits `(From "To" x)` into names (atoms or quoted strings). */
function parseFieldList(text: string): string[] {
  const m = /^\((.*)\)$/s.exec(text.trim());
  if (m === null) throw new ImapSyntaxError('invalid header list');
  const names: string[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|([^\s"()]+))/gsy;
  const body = m[1]!;
  let pos = 0;
  while (pos < body.length) {
    re.lastIndex = pos;
    const match = re.exec(body);
    if (match === null) break;
    names.push(match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2]!);
    pos = re.lastIndex;
  }
  if (body.slice(pos).trim() !== '') throw new ImapSyntaxError('invalid header list');
  return names;
}

/**
 * Parses the text between the brackets. Like Courier, `HEADER.FIELDS(From)` (no space) and an
 * empty list `HEADER.FIELDS ()` are accepted.
 */
export function parseSection(text: string): FetchSection {
  const m = /^([^ (]*) ?(.*)$/s.exec(text)!;
  const head = m[1]!;
  const rest = m[2]!;
  const words = head === '' ? [] : head.split('.');
  const part: number[] = [];
  while (words.length > 0 && PART.test(words[0]!)) part.push(Number(words.shift()));
  const spec = words.join('.').toUpperCase();
  if (spec === '') {
    if (rest !== '' || (head !== '' && part.length === 0))
      throw new ImapSyntaxError(`invalid section: ${text}`);
    return { part, specifier: null, fields: [] };
  }
  if (spec === 'HEADER.FIELDS' || spec === 'HEADER.FIELDS.NOT') {
    return { part, specifier: spec, fields: parseFieldList(rest) };
  }
  if (rest !== '') throw new ImapSyntaxError(`invalid section: ${text}`);
  if (spec === 'HEADER' || spec === 'TEXT') return { part, specifier: spec, fields: [] };
  if (spec === 'MIME' && part.length > 0) return { part, specifier: spec, fields: [] };
  throw new ImapSyntaxError(`invalid section: ${text}`);
}

function parseItem(value: string): FetchItem {
  const upper = value.toUpperCase();
  if (SIMPLE.has(upper)) return { kind: upper as SimpleFetchItem };
  const m = BODY_SECTION.exec(value);
  if (m === null) throw new ImapSyntaxError(`invalid fetch attribute: ${value}`);
  const partial =
    m[3] === undefined ? null : { start: Number(m[3]), length: m[4] === undefined ? null : Number(m[4]) };
  return { kind: 'BODY[]', peek: m[1]!.length > 4, section: parseSection(m[2]!), partial };
}

/** Parses FETCH's attribute argument: a macro, one attribute, or a parenthesised list. */
export function parseFetchAttributes(token: ImapToken): FetchItem[] {
  if (token.type === 'atom') {
    const macro = MACROS[token.value.toUpperCase()];
    if (macro !== undefined) return macro.map((kind) => ({ kind }));
    return [parseItem(token.value)];
  }
  if (token.type === 'list' && token.items.length > 0) {
    return token.items.map((t) => {
      if (t.type !== 'atom') throw new ImapSyntaxError('invalid fetch attribute');
      return parseItem(t.value);
    });
  }
  throw new ImapSyntaxError('invalid fetch attributes');
}

/** True if fetching these items sets `\Seen` (non-PEEK body sections, RFC822, RFC822.TEXT). */
export function fetchSetsSeen(items: readonly FetchItem[]): boolean {
  return items.some(
    (i) => (i.kind === 'BODY[]' && !i.peek) || i.kind === 'RFC822' || i.kind === 'RFC822.TEXT',
  );
}

function quoteField(name: string): string {
  return `"${name.replace(/["\\]/g, '\\$&')}"`;
}

/** The section text as echoed in the response: `1.HEADER.FIELDS ("From" "To")`. */
export function formatSection(section: FetchSection): string {
  const parts: string[] = section.part.map(String);
  if (section.specifier !== null) parts.push(section.specifier);
  const text = parts.join('.');
  if (
    (section.specifier === 'HEADER.FIELDS' || section.specifier === 'HEADER.FIELDS.NOT') &&
    section.fields.length > 0
  ) {
    return `${text} (${section.fields.map(quoteField).join(' ')})`;
  }
  return text;
}

/** The response label of an item: `BODY[1.MIME]`, `BODY[]<0>` (PEEK never echoed), `RFC822.SIZE`. */
export function fetchItemLabel(item: FetchItem): string {
  if (item.kind !== 'BODY[]') return item.kind;
  const partial = item.partial === null ? '' : `<${item.partial.start}>`;
  return `BODY[${formatSection(item.section)}]${partial}`;
}
