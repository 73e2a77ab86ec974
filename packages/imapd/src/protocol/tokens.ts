/**
 * Tokens produced by the command parser. The parser is purely lexical: `NIL`, numbers,
 * sequence sets and flags all arrive as atoms, because only the command grammar knows
 * whether `NIL` is a mailbox name or a null string. The argument readers interpret them.
 */

/** Any run of non-special bytes; fetch attributes keep their `[...]` section (spaces included). */
export interface ImapAtom {
  readonly type: 'atom';
  readonly value: string;
}

/** A quoted string, a literal `{n}` / `{n+}`, or a literal8 `~{n}`; bytes as sent. */
export interface ImapString {
  readonly type: 'string';
  readonly value: Buffer;
  readonly form: 'quoted' | 'literal' | 'literal8';
}

export interface ImapList {
  readonly type: 'list';
  readonly items: readonly ImapToken[];
}

/** A literal whose bytes went to a consumer as `literal-data` events (APPEND). */
export interface ImapStreamedLiteral {
  readonly type: 'streamed';
  readonly size: number;
  readonly binary: boolean;
}

export type ImapToken = ImapAtom | ImapString | ImapList | ImapStreamedLiteral;

/** One complete command line. `UID FETCH ...` arrives as `name: 'FETCH', uid: true`. */
export interface ParsedCommand {
  readonly tag: string;
  /** Upper-cased command name. */
  readonly name: string;
  readonly uid: boolean;
  readonly args: readonly ImapToken[];
}
