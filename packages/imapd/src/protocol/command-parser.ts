import { ByteAccumulator } from './byte-accumulator.js';
import { CR, DQUOTE, isCtl, LBRACE, LF, LPAREN, RPAREN, SP, TILDE } from './bytes.js';
import { ChunkQueue } from './chunk-queue.js';
import { ImapLimitError, ImapProtocolError, type ProtocolErrorCode } from './errors.js';
import { quoteSectionLiteral, readRawLine, type SkipState, skipLine } from './line-scanners.js';
import { checkLiteral, type LiteralHeader, literalEvent, literalHeaderByte } from './literal-check.js';
import type { ParserEvent } from './parser-events.js';
import {
  type CommandParserOptions,
  type ResolvedParserOptions,
  resolveParserOptions,
} from './parser-options.js';
import { type AtomState, scanAtom, scanQuoted } from './token-scanners.js';
import { TokenStack } from './token-stack.js';
import type { ImapToken } from './tokens.js';

type State =
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

/**
 * Incremental IMAP command parser. `feed()` chunks of any size, then pull events with
 * `next()` until it returns null; the events do not depend on how the input was split.
 * Literal headers pause the parser until `acceptLiteral()` or `rejectLiteral()`.
 */
export class CommandParser {
  readonly #opt: ResolvedParserOptions;
  readonly #queue = new ChunkQueue();
  readonly #out: ParserEvent[] = [];
  readonly #acc = new ByteAccumulator();
  #chunk: Buffer | null = null;
  #pos = 0;
  #state: State = 'between';
  readonly #tokens = new TokenStack();
  #lineLength = 0;
  readonly #atomState: AtomState = { bracket: false, bracketQuote: false, escape: false };
  #lit: LiteralHeader = { digits: '', plus: false, binary: false, stage: 'digits' };
  #literal: { size: number; binary: boolean; sync: boolean } | null = null;
  #remaining = 0;
  readonly #skip: SkipState = { tail: '' };
  /** The atom a literal interrupted (see #bracketLiteral), or null. */
  #atomPrefix: Buffer | null = null;

  constructor(options?: CommandParserOptions) {
    this.#opt = resolveParserOptions(options);
  }

  get options(): ResolvedParserOptions {
    return this.#opt;
  }

  /** True while a literal header waits for `acceptLiteral()` / `rejectLiteral()`. */
  get awaitingLiteral(): boolean {
    return this.#state === 'wait';
  }

  /** True after a fatal error: the session must end. */
  get dead(): boolean {
    return this.#state === 'dead';
  }

  /** True between commands with no partial input buffered. */
  get atLineStart(): boolean {
    return this.#state === 'between' && this.#tokens.count === 0 && this.#lineLength === 0;
  }

  /** Input fed but not consumed yet, or events not taken (a pipelined command may be complete). */
  get hasInput(): boolean {
    return (
      this.#out.length > 0 || (this.#chunk !== null && this.#pos < this.#chunk.length) || !this.#queue.empty
    );
  }

  feed(chunk: Buffer): void {
    if (chunk.length > 0) this.#queue.push(chunk);
  }

  next(): ParserEvent | null {
    for (;;) {
      const ev = this.#out.shift();
      if (ev !== undefined) return ev;
      if (this.#state === 'wait' || this.#state === 'dead') return null;
      if (this.#chunk === null || this.#pos >= this.#chunk.length) {
        const c = this.#queue.shift();
        if (c === undefined) {
          this.#chunk = null;
          return null;
        }
        this.#chunk = c;
        this.#pos = 0;
      }
      this.#pos = this.#run(this.#chunk, this.#pos);
    }
  }

  /** The next line is delivered raw as a `line` event (IDLE `DONE`, SASL responses). */
  expectLine(): void {
    if (!this.atLineStart) throw new Error('expectLine() called in the middle of a command');
    this.#state = 'raw-line';
  }

  /**
   * Takes the pending literal. `stream: true` delivers its bytes as `literal-data` events.
   * Returns an error (and drops the command, as `rejectLiteral()` would) when a buffered
   * literal would exceed `maxBufferedLiteral`; then reply with it instead of `+ OK`.
   */
  acceptLiteral(options: { stream?: boolean } = {}): ImapProtocolError | null {
    const lit = this.#requireLiteral();
    const stream = (options.stream ?? false) && this.#atomPrefix === null;
    if (!stream && lit.size > this.#opt.maxBufferedLiteral) {
      this.rejectLiteral();
      return new ImapLimitError(
        'LITERAL_TOO_LARGE',
        'literal too large to buffer',
        this.#opt.maxBufferedLiteral,
      );
    }
    this.#remaining = lit.size;
    this.#acc.clear();
    this.#state = stream ? 'lit-stream' : 'lit-data';
    if (lit.size === 0) this.#finishLiteral(stream);
    return null;
  }

  /** Drops the command whose literal was announced (the session has replied NO/BAD). */
  rejectLiteral(): void {
    const lit = this.#requireLiteral();
    this.#literal = null;
    if (lit.sync) {
      this.#resetLine();
    } else {
      this.#resetLine();
      this.#remaining = lit.size;
      this.#state = 'skip-literal';
    }
  }

  #requireLiteral(): { size: number; binary: boolean; sync: boolean } {
    if (this.#state !== 'wait' || this.#literal === null) throw new Error('no literal is pending');
    return this.#literal;
  }

  #run(buf: Buffer, pos: number): number {
    const len = buf.length;
    while (pos < len && this.#out.length === 0) {
      switch (this.#state) {
        case 'between':
          pos = this.#between(buf, pos);
          break;
        case 'tilde':
          if (buf[pos] === LBRACE) {
            pos++;
            if (this.#count(1)) this.#startLiteralHeader(true);
          } else {
            this.#acc.clear();
            this.#acc.push(Buffer.from('~'));
            this.#resetAtomState();
            this.#state = 'atom';
          }
          break;
        case 'atom':
          pos = this.#atom(buf, pos);
          break;
        case 'quoted':
          pos = this.#quoted(buf, pos);
          break;
        case 'lit-hdr':
          pos = this.#literalHeader(buf, pos);
          break;
        case 'lit-data':
        case 'lit-stream':
          pos = this.#literalData(buf, pos);
          break;
        case 'cr':
          if (buf[pos] === LF) {
            pos++;
            this.#endLine();
          } else {
            this.#fail('SYNTAX', 'bare CR in command line', false);
          }
          break;
        case 'skip-line':
          pos = this.#skipLine(buf, pos);
          break;
        case 'skip-literal': {
          const n = Math.min(this.#remaining, len - pos);
          pos += n;
          this.#remaining -= n;
          if (this.#remaining === 0) {
            this.#skip.tail = '';
            this.#state = 'skip-line';
          }
          break;
        }
        case 'raw-line':
          pos = this.#rawLine(buf, pos);
          break;
        case 'wait':
        case 'dead':
          return pos;
      }
    }
    return pos;
  }

  #between(buf: Buffer, pos: number): number {
    const b = buf[pos]!;
    if (b === LF) {
      this.#endLine();
      return pos + 1;
    }
    if (!this.#count(1)) return pos + 1;
    switch (b) {
      case SP:
        return pos + 1;
      case CR:
        this.#state = 'cr';
        return pos + 1;
      case LPAREN:
        if (this.#tokens.depth >= this.#opt.maxDepth) {
          this.#failLimit('TOO_DEEP', `lists nested deeper than ${this.#opt.maxDepth}`, this.#opt.maxDepth);
        } else if (this.#countToken()) {
          this.#tokens.open();
        }
        return pos + 1;
      case RPAREN: {
        if (!this.#tokens.close()) this.#fail('SYNTAX', 'unbalanced )', false);
        return pos + 1;
      }
      case DQUOTE:
        this.#acc.clear();
        this.#resetAtomState();
        this.#state = 'quoted';
        return pos + 1;
      case LBRACE:
        this.#startLiteralHeader(false);
        return pos + 1;
      case TILDE:
        this.#state = 'tilde';
        return pos + 1;
      default:
        if (isCtl(b)) {
          this.#fail('SYNTAX', 'control character in command line', false);
          return pos + 1;
        }
        this.#lineLength--; // counted again as part of the atom
        this.#acc.clear();
        this.#resetAtomState();
        this.#state = 'atom';
        return pos;
    }
  }

  #atom(buf: Buffer, pos: number): number {
    const room = Math.min(
      this.#opt.maxAtomLength - this.#acc.length,
      this.#opt.maxLineLength - this.#lineLength,
    );
    const r = scanAtom(
      buf,
      pos,
      Math.min(buf.length, pos + Math.max(room, 0) + 1),
      this.#atomState,
      this.#acc,
    );
    if (r.error !== null) {
      this.#fail('SYNTAX', r.error, false);
      return r.end;
    }
    if (this.#acc.length > this.#opt.maxAtomLength) {
      this.#failLimit('ATOM_TOO_LONG', 'max atom size too small', this.#opt.maxAtomLength, true);
      return r.end;
    }
    if (!this.#count(r.end - pos)) return r.end;
    if (r.done) {
      if (this.#atomState.bracket && this.#bracketLiteral()) return r.end;
      this.#state = 'between';
      this.#addToken({ type: 'atom', value: this.#acc.takeText() });
    }
    return r.end;
  }

  /**
   * A literal inside a fetch section (`BODY[HEADER.FIELDS (From {4}` CRLF `Date)]`), which
   * Courier accepts: the atom so far is kept, the literal read, then spliced in quoted.
   */
  #bracketLiteral(): boolean {
    const tail = this.#acc.peek().toString('latin1', Math.max(0, this.#acc.length - 16));
    const m = /\{([0-9]{1,10})(\+?)\}$/.exec(tail);
    if (m === null) return false;
    const text = this.#acc.take();
    this.#atomPrefix = text.subarray(0, text.length - m[0].length);
    this.#lit = { digits: m[1]!, plus: m[2] === '+', binary: false, stage: 'end' };
    this.#state = 'lit-hdr';
    return true;
  }

  #quoted(buf: Buffer, pos: number): number {
    const room = Math.min(
      this.#opt.maxQuotedLength - this.#acc.length,
      this.#opt.maxLineLength - this.#lineLength,
    );
    const r = scanQuoted(
      buf,
      pos,
      Math.min(buf.length, pos + Math.max(room, 0) + 1),
      this.#atomState,
      this.#acc,
    );
    if (r.error !== null) {
      this.#fail('SYNTAX', r.error, r.lineOver);
      return r.end;
    }
    if (!this.#quotedLimit() || !this.#count(r.end - pos)) return r.end;
    if (r.done) {
      this.#state = 'between';
      this.#addToken({ type: 'string', value: this.#acc.take(), form: 'quoted' });
    }
    return r.end;
  }

  #quotedLimit(): boolean {
    if (this.#acc.length <= this.#opt.maxQuotedLength) return true;
    this.#failLimit('QUOTED_TOO_LONG', 'IMAP command too long.', this.#opt.maxQuotedLength);
    return false;
  }

  #startLiteralHeader(binary: boolean): void {
    this.#lit = { digits: '', plus: false, binary, stage: 'digits' };
    this.#state = 'lit-hdr';
  }

  #literalHeader(buf: Buffer, pos: number): number {
    if (!this.#count(1)) return pos + 1;
    const step = literalHeaderByte(this.#lit, buf[pos]!);
    if (step === 'ready') this.#literalReady();
    else if (step !== 'more') this.#fail('SYNTAX', step.error, step.lineOver);
    return pos + 1;
  }

  #literalReady(): void {
    const size = Number(this.#lit.digits);
    const sync = !this.#lit.plus;
    const binary = this.#lit.binary;
    const head = this.#tokens.head();
    const error = checkLiteral(head, size, sync, this.#opt);
    if (error !== null) {
      this.#out.push({ type: 'error', error, tag: head.tag, name: head.name });
      this.#resetLine();
      if (!sync) {
        this.#remaining = size;
        this.#state = 'skip-literal';
      }
      return;
    }
    this.#literal = { size, binary, sync };
    this.#state = 'wait';
    this.#out.push(literalEvent(head, this.#tokens.depth, size, binary, sync));
  }

  #literalData(buf: Buffer, pos: number): number {
    const n = Math.min(this.#remaining, buf.length - pos);
    const slice = buf.subarray(pos, pos + n);
    this.#remaining -= n;
    if (this.#state === 'lit-stream') this.#out.push({ type: 'literal-data', chunk: slice });
    else this.#acc.push(slice);
    if (this.#remaining === 0) this.#finishLiteral(this.#state === 'lit-stream');
    return pos + n;
  }

  #finishLiteral(streamed: boolean): void {
    const lit = this.#literal!;
    this.#literal = null;
    if (this.#atomPrefix !== null) {
      const quoted = quoteSectionLiteral(this.#acc.take());
      if (quoted === null) {
        this.#fail('SYNTAX', 'line end inside a section literal', false);
        return;
      }
      this.#acc.push(this.#atomPrefix);
      this.#acc.push(quoted);
      this.#atomPrefix = null;
      this.#state = 'atom';
      return;
    }
    this.#state = 'between';
    if (streamed) {
      this.#out.push({ type: 'literal-end' });
      this.#addToken({ type: 'streamed', size: lit.size, binary: lit.binary });
    } else {
      const value = this.#acc.take();
      this.#addToken({ type: 'string', value, form: lit.binary ? 'literal8' : 'literal' });
    }
  }

  #skipLine(buf: Buffer, pos: number): number {
    const r = skipLine(buf, pos, this.#skip);
    if (!r.done) return r.end;
    this.#resetLine();
    if (r.literal !== null) {
      this.#remaining = r.literal;
      this.#state = 'skip-literal';
    }
    return r.end;
  }

  #rawLine(buf: Buffer, pos: number): number {
    const r = readRawLine(buf, pos, this.#acc, this.#opt.maxLineLength);
    if (r.tooLong) this.#failLimit('LINE_TOO_LONG', 'line too long', this.#opt.maxLineLength);
    else if (r.line !== null) {
      this.#resetLine();
      this.#out.push({ type: 'line', line: r.line });
    }
    return r.end;
  }

  #endLine(): void {
    if (this.#tokens.depth > 0) {
      this.#fail('SYNTAX', 'unclosed list', true);
      return;
    }
    if (this.#tokens.empty) {
      this.#fail('EMPTY_LINE', 'empty command line', true);
      return;
    }
    const head = this.#tokens.head();
    if (head.tag === null) this.#fail('BAD_TAG', 'missing tag', true);
    else if (head.name === null) this.#fail('MISSING_COMMAND', 'missing command', true);
    else {
      this.#out.push({
        type: 'command',
        command: { tag: head.tag, name: head.name, uid: head.uid, args: head.rest },
      });
      this.#resetLine();
    }
  }

  #addToken(token: ImapToken): void {
    if (this.#countToken()) this.#tokens.push(token);
  }

  #countToken(): boolean {
    if (this.#tokens.countToken() <= this.#opt.maxArguments) return true;
    this.#failLimit(
      'TOO_MANY_ARGUMENTS',
      `more than ${this.#opt.maxArguments} arguments`,
      this.#opt.maxArguments,
    );
    return false;
  }

  #count(n: number): boolean {
    this.#lineLength += n;
    if (this.#lineLength <= this.#opt.maxLineLength) return true;
    this.#failLimit('LINE_TOO_LONG', 'command line too long', this.#opt.maxLineLength);
    return false;
  }

  #fail(code: ProtocolErrorCode, message: string, lineOver: boolean): void {
    this.#emitError(new ImapProtocolError(code, message), lineOver);
  }

  #failLimit(code: ProtocolErrorCode, message: string, limit: number, fatal = false): void {
    this.#emitError(new ImapLimitError(code, message, limit, { fatal }), false);
  }

  #emitError(error: ImapProtocolError, lineOver: boolean): void {
    const head = this.#tokens.head();
    this.#out.push({ type: 'error', error, tag: head.tag, name: head.name });
    this.#resetLine();
    if (error.fatal) this.#state = 'dead';
    else if (!lineOver) this.#state = 'skip-line';
  }

  #resetLine(): void {
    this.#state = 'between';
    this.#tokens.reset();
    this.#lineLength = 0;
    this.#acc.clear();
    this.#resetAtomState();
    this.#skip.tail = '';
    this.#atomPrefix = null;
    this.#literal = null;
  }

  #resetAtomState(): void {
    this.#atomState.bracket = false;
    this.#atomState.bracketQuote = false;
    this.#atomState.escape = false;
  }
}
