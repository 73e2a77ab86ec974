import { type ImapDate, type ImapDateTime, parseImapDate, parseImapDateTime } from './dates.js';
import { ImapSyntaxError } from './errors.js';
import { parseStoreFlag } from './flags.js';
import { parseSequenceSet, type SequenceSet } from './sequence-set.js';
import type { ImapList, ImapStreamedLiteral, ImapString, ImapToken } from './tokens.js';

const NUMBER = /^[0-9]{1,10}$/;

/** Text of an atom or string token (UTF-8), for grammar words and astrings. */
export function tokenText(token: ImapToken): string | null {
  if (token.type === 'atom') return token.value;
  if (token.type === 'string') return token.value.toString('utf8');
  return null;
}

/**
 * A cursor over a command's arguments with typed readers. Each reader throws
 * ImapSyntaxError on a mismatch; `end()` checks nothing is left over.
 */
export class ArgReader {
  readonly #args: readonly ImapToken[];
  #i = 0;

  constructor(args: readonly ImapToken[]) {
    this.#args = args;
  }

  get remaining(): number {
    return this.#args.length - this.#i;
  }

  peek(): ImapToken | undefined {
    return this.#args[this.#i];
  }

  /** True if the next token is an atom equal (case-insensitively) to `word`. */
  peekAtom(word: string): boolean {
    const t = this.peek();
    return t?.type === 'atom' && t.value.toUpperCase() === word.toUpperCase();
  }

  token(what = 'argument'): ImapToken {
    const t = this.#args[this.#i];
    if (t === undefined) throw new ImapSyntaxError(`missing ${what}`);
    this.#i++;
    return t;
  }

  end(): void {
    if (this.#i < this.#args.length) throw new ImapSyntaxError('too many arguments');
  }

  atom(what = 'atom'): string {
    const t = this.token(what);
    if (t.type !== 'atom') throw new ImapSyntaxError(`expected ${what}`);
    return t.value;
  }

  /** astring as bytes (atom, quoted or literal). */
  astringBytes(what = 'string'): Buffer {
    const t = this.token(what);
    if (t.type === 'atom') return Buffer.from(t.value, 'utf8');
    if (t.type === 'string') return t.value;
    throw new ImapSyntaxError(`expected ${what}`);
  }

  astring(what = 'string'): string {
    return this.astringBytes(what).toString('utf8');
  }

  /** `string` proper: quoted or literal, never an atom. */
  string(what = 'string'): ImapString {
    const t = this.token(what);
    if (t.type !== 'string') throw new ImapSyntaxError(`expected ${what}`);
    return t;
  }

  /** nstring: NIL → null. */
  nstring(what = 'string'): Buffer | null {
    const t = this.token(what);
    if (t.type === 'atom' && t.value.toUpperCase() === 'NIL') return null;
    if (t.type === 'string') return t.value;
    throw new ImapSyntaxError(`expected ${what}`);
  }

  /**
   * A mailbox name as sent (mUTF-7 unless UTF8=ACCEPT; the caller decodes with
   * decodeMutf7 from @courier-ts/maildir). `INBOX` in any case becomes `INBOX`.
   */
  mailbox(): string {
    const name = this.astring('mailbox name');
    return name.toUpperCase() === 'INBOX' ? 'INBOX' : name;
  }

  /** list-mailbox: atoms may hold `%` and `*`; strings are taken as is. */
  listMailbox(): string {
    return this.astring('mailbox pattern');
  }

  number(what = 'number'): number {
    const v = this.atom(what);
    if (!NUMBER.test(v) || Number(v) > 4294967295) throw new ImapSyntaxError(`expected ${what}`);
    return Number(v);
  }

  sequenceSet(): SequenceSet {
    return parseSequenceSet(this.atom('sequence set'));
  }

  list(what = 'list'): ImapList {
    const t = this.token(what);
    if (t.type !== 'list') throw new ImapSyntaxError(`expected ${what}`);
    return t;
  }

  /** A parenthesised flag list, validated for STORE / APPEND. */
  flagList(): string[] {
    return this.list('flag list').items.map((t) => {
      if (t.type !== 'atom') throw new ImapSyntaxError('invalid flag');
      return parseStoreFlag(t.value);
    });
  }

  /** STORE's flags: a list, or one or more bare flags up to the end. */
  storeFlags(): string[] {
    if (this.peek()?.type === 'list') return this.flagList();
    const out: string[] = [];
    while (this.remaining > 0) out.push(parseStoreFlag(this.atom('flag')));
    if (out.length === 0) throw new ImapSyntaxError('missing flags');
    return out;
  }

  /** `date` (SEARCH): atom or quoted. Null when it does not parse (Courier: matches nothing). */
  date(): ImapDate | null {
    const t = this.token('date');
    const text = tokenText(t);
    if (text === null) throw new ImapSyntaxError('expected date');
    return parseImapDate(text);
  }

  /** `date-time` (APPEND): must be a quoted string. */
  dateTime(): ImapDateTime {
    const t = this.token('date-time');
    if (t.type !== 'string' || t.form !== 'quoted') throw new ImapSyntaxError('expected date-time');
    return parseImapDateTime(t.value.toString('latin1'));
  }

  /** The message literal of APPEND: buffered or streamed. */
  literal(): ImapString | ImapStreamedLiteral {
    const t = this.token('literal');
    if (t.type === 'streamed' || (t.type === 'string' && t.form !== 'quoted')) return t;
    throw new ImapSyntaxError('expected literal');
  }
}
