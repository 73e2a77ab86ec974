/**
 * The state one CommandParser carries between bytes, and the bookkeeping every step shares: line
 * and argument limits, tokens, errors, the end of a command line. The steps themselves live in
 * token-steps.ts, literal-steps.ts and line-steps.ts; CommandParser drives them.
 */
import { ByteAccumulator } from './byte-accumulator.js';
import { ImapLimitError, ImapProtocolError, type ProtocolErrorCode } from './errors.js';
import type { SkipState } from './line-scanners.js';
import type { LiteralHeader } from './literal-check.js';
import type { ParserEvent } from './parser-events.js';
import type { ResolvedParserOptions } from './parser-options.js';
import type { AtomState } from './token-scanners.js';
import { TokenStack } from './token-stack.js';
import type { ImapToken } from './tokens.js';

export type ParserState =
  | 'between'
  | 'tilde'
  | 'atom'
  | 'quoted'
  | 'lit-hdr'
  | 'wait'
  | 'lit-data'
  | 'lit-stream'
  | 'cr'
  | 'skip-line'
  | 'skip-literal'
  | 'raw-line'
  | 'dead';

/** A literal announced by its header and accepted or refused by the session. */
export interface PendingLiteral {
  readonly size: number;
  readonly binary: boolean;
  readonly sync: boolean;
}

export class ParserCore {
  readonly opt: ResolvedParserOptions;
  /** Events produced and not taken yet. */
  readonly out: ParserEvent[] = [];
  /** Bytes of the atom, quoted string or literal being read. */
  readonly acc = new ByteAccumulator();
  state: ParserState = 'between';
  readonly tokens = new TokenStack();
  lineLength = 0;
  readonly atomState: AtomState = { bracket: false, bracketQuote: false, escape: false };
  lit: LiteralHeader = { digits: '', plus: false, binary: false, stage: 'digits' };
  literal: PendingLiteral | null = null;
  /** Literal bytes still to read or skip. */
  remaining = 0;
  readonly skip: SkipState = { tail: '' };
  /** The atom a literal interrupted (a section literal, see token-steps), or null. */
  atomPrefix: Buffer | null = null;

  constructor(opt: ResolvedParserOptions) {
    this.opt = opt;
  }

  /** Counts `n` more bytes of the command line; false (and an error) once it is too long. */
  count(n: number): boolean {
    this.lineLength += n;
    if (this.lineLength <= this.opt.maxLineLength) return true;
    this.failLimit('LINE_TOO_LONG', 'command line too long', this.opt.maxLineLength);
    return false;
  }

  countToken(): boolean {
    if (this.tokens.countToken() <= this.opt.maxArguments) return true;
    this.failLimit(
      'TOO_MANY_ARGUMENTS',
      `more than ${this.opt.maxArguments} arguments`,
      this.opt.maxArguments,
    );
    return false;
  }

  addToken(token: ImapToken): void {
    if (this.countToken()) this.tokens.push(token);
  }

  /** A complete line: the command, or why it is not one. */
  endLine(): void {
    if (this.tokens.depth > 0) {
      this.fail('SYNTAX', 'unclosed list', true);
      return;
    }
    if (this.tokens.empty) {
      this.fail('EMPTY_LINE', 'empty command line', true);
      return;
    }
    const head = this.tokens.head();
    if (head.tag === null) this.fail('BAD_TAG', 'missing tag', true);
    else if (head.name === null) this.fail('MISSING_COMMAND', 'missing command', true);
    else {
      this.out.push({
        type: 'command',
        command: { tag: head.tag, name: head.name, uid: head.uid, args: head.rest },
      });
      this.resetLine();
    }
  }

  /** A syntax error; `lineOver` = the line end was already read (else the rest of the line is skipped). */
  fail(code: ProtocolErrorCode, message: string, lineOver: boolean): void {
    this.emitError(new ImapProtocolError(code, message), lineOver);
  }

  failLimit(code: ProtocolErrorCode, message: string, limit: number, fatal = false): void {
    this.emitError(new ImapLimitError(code, message, limit, { fatal }), false);
  }

  emitError(error: ImapProtocolError, lineOver: boolean): void {
    const head = this.tokens.head();
    this.out.push({ type: 'error', error, tag: head.tag, name: head.name });
    this.resetLine();
    if (error.fatal) this.state = 'dead';
    else if (!lineOver) this.state = 'skip-line';
  }

  resetLine(): void {
    this.state = 'between';
    this.tokens.reset();
    this.lineLength = 0;
    this.acc.clear();
    this.resetAtomState();
    this.skip.tail = '';
    this.atomPrefix = null;
    this.literal = null;
  }

  resetAtomState(): void {
    this.atomState.bracket = false;
    this.atomState.bracketQuote = false;
    this.atomState.escape = false;
  }
}
