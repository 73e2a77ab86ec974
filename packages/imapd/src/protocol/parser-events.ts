import type { ImapProtocolError } from './errors.js';
import type { ImapToken, ParsedCommand } from './tokens.js';

/** A complete command line. */
export interface CommandEvent {
  readonly type: 'command';
  readonly command: ParsedCommand;
}

/**
 * A literal header `{n}`, `{n+}` or `~{n}` has been read. The parser waits until the
 * session calls `acceptLiteral()` (then, for a synchronizing literal, sends `+ OK`)
 * or `rejectLiteral()` (after sending its tagged NO/BAD).
 */
export interface LiteralEvent {
  readonly type: 'literal';
  readonly tag: string | null;
  readonly name: string | null;
  readonly uid: boolean;
  /** Completed top-level arguments before the literal (tag, name and UID excluded). */
  readonly args: readonly ImapToken[];
  /** 0 = the literal is a top-level argument. */
  readonly depth: number;
  readonly size: number;
  readonly binary: boolean;
  readonly synchronizing: boolean;
}

/** Bytes of a streamed literal; consume them before pulling the next event. */
export interface LiteralDataEvent {
  readonly type: 'literal-data';
  readonly chunk: Buffer;
}

export interface LiteralEndEvent {
  readonly type: 'literal-end';
}

/** A raw line requested with `expectLine()` (IDLE's DONE, AUTHENTICATE responses); no line end. */
export interface LineEvent {
  readonly type: 'line';
  readonly line: Buffer;
}

/** The current command failed; the parser has resynchronised (unless `error.fatal`). */
export interface ErrorEvent {
  readonly type: 'error';
  readonly error: ImapProtocolError;
  readonly tag: string | null;
  readonly name: string | null;
}

export type ParserEvent =
  | CommandEvent
  | LiteralEvent
  | LiteralDataEvent
  | LiteralEndEvent
  | LineEvent
  | ErrorEvent;
