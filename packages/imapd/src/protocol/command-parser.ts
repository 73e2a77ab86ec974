import { ByteAccumulator } from './byte-accumulator.js';
import { CR, DQUOTE, isCtl, isDigit, LBRACE, LF, LPAREN, PLUS, RBRACE, RPAREN, SP, TILDE } from './bytes.js';
import { ImapLimitError, ImapProtocolError, type ProtocolErrorCode } from './errors.js';
import { checkLiteral } from './literal-check.js';
import type { LiteralEvent, ParserEvent } from './parser-events.js';
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
  | 'lit-hdr-end'
  | 'lit-hdr-cr'
  | 'wait'
  | 'lit-data'
  | 'lit-stream'
  | 'cr'
  | 'skip-line'
  | 'skip-literal'
  | 'raw-line'
  | 'dead';

const SKIPPED_NON_SYNC = /\{(\d{1,10})\+\}\r?$/;

/**
 * Incremental IMAP command parser. `feed()` chunks of any size, then pull events with
 * `next()` until it returns null; the events do not depend on how the input was split.
 * Literal headers pause the parser until `acceptLiteral()` or `rejectLiteral()`.
 */
export class CommandParser {
  readonly #opt: ResolvedParserOptions;
  readonly #queue: Buffer[] = [];
  readonly #out: ParserEvent[] = [];
  readonly #acc = new ByteAccumulator();
  #chunk: Buffer | null = null;
  #pos = 0;
  #state: State = 'between';
  readonly #tokens = new TokenStack();
  #lineLength = 0;
  readonly #atomState: AtomState = { bracket: false, bracketQuote: false, escape: false };
  #litDigits = '';
  #litPlus = false;
  #litBinary = false;
  #literal: { size: number; binary: boolean; sync: boolean } | null = null;
  #remaining = 0;
  #litSize = 0;
  #skipTail = '';

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
    const stream = options.stream ?? false;
    if (!stream && lit.size > this.#opt.maxBufferedLiteral) {
      this.rejectLiteral();
      return new ImapLimitError(
        'LITERAL_TOO_LARGE',
        `literal of ${lit.size} bytes exceeds ${this.#opt.maxBufferedLiteral}`,
        this.#opt.maxBufferedLiteral,
      );
    }
    this.#literal = null;
    this.#remaining = lit.size;
    this.#litSize = lit.size;
    this.#litBinary = lit.binary;
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
        case 'lit-hdr-end':
        case 'lit-hdr-cr':
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
            this.#skipTail = '';
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
    const r = scanAtom(buf, pos, this.#atomState, this.#acc);
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
      this.#state = 'between';
      this.#addToken({ type: 'atom', value: this.#acc.take().toString('utf8') });
    }
    return r.end;
  }

  #quoted(buf: Buffer, pos: number): number {
    const r = scanQuoted(buf, pos, this.#atomState, this.#acc);
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
    this.#litDigits = '';
    this.#litPlus = false;
    this.#litBinary = binary;
    this.#state = 'lit-hdr';
  }

  #literalHeader(buf: Buffer, pos: number): number {
    const b = buf[pos]!;
    if (!this.#count(1)) return pos + 1;
    if (this.#state === 'lit-hdr') {
      if (isDigit(b) && !this.#litPlus && this.#litDigits.length < 11)
        this.#litDigits += String.fromCharCode(b);
      else if (b === PLUS && this.#litDigits.length > 0 && !this.#litPlus) this.#litPlus = true;
      else if (b === RBRACE && this.#litDigits.length > 0) this.#state = 'lit-hdr-end';
      else this.#fail('SYNTAX', 'invalid literal header', b === LF);
      return pos + 1;
    }
    if (b === LF) this.#literalReady();
    else if (b === CR && this.#state === 'lit-hdr-end') this.#state = 'lit-hdr-cr';
    else this.#fail('SYNTAX', 'literal header not at end of line', false);
    return pos + 1;
  }

  #literalReady(): void {
    const size = Number(this.#litDigits);
    const sync = !this.#litPlus;
    const binary = this.#litBinary;
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
    const ev: LiteralEvent = {
      type: 'literal',
      tag: head.tag,
      name: head.name,
      uid: head.uid,
      args: head.rest,
      depth: this.#tokens.depth,
      size,
      binary,
      synchronizing: sync,
    };
    this.#out.push(ev);
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
    this.#state = 'between';
    if (streamed) {
      this.#out.push({ type: 'literal-end' });
      this.#addToken({ type: 'streamed', size: this.#litSize, binary: this.#litBinary });
    } else {
      const value = this.#acc.take();
      this.#addToken({ type: 'string', value, form: this.#litBinary ? 'literal8' : 'literal' });
    }
  }

  #skipLine(buf: Buffer, pos: number): number {
    const i = buf.indexOf(LF, pos);
    const end = i === -1 ? buf.length : i;
    this.#skipTail = (this.#skipTail + buf.toString('latin1', Math.max(pos, end - 24), end)).slice(-24);
    if (i === -1) return buf.length;
    const m = SKIPPED_NON_SYNC.exec(this.#skipTail);
    this.#resetLine();
    if (m !== null) {
      this.#remaining = Number(m[1]);
      this.#state = 'skip-literal';
    }
    return i + 1;
  }

  #rawLine(buf: Buffer, pos: number): number {
    const i = buf.indexOf(LF, pos);
    const end = i === -1 ? buf.length : i;
    this.#acc.push(buf.subarray(pos, end));
    if (this.#acc.length > this.#opt.maxLineLength + 1) {
      this.#acc.clear();
      this.#failLimit('LINE_TOO_LONG', 'line too long', this.#opt.maxLineLength);
      return end;
    }
    if (i === -1) return end;
    let line = this.#acc.take();
    if (line.length > 0 && line[line.length - 1] === CR) line = line.subarray(0, line.length - 1);
    this.#resetLine();
    this.#out.push({ type: 'line', line });
    return i + 1;
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
    this.#skipTail = '';
  }

  #resetAtomState(): void {
    this.#atomState.bracket = false;
    this.#atomState.bracketQuote = false;
    this.#atomState.escape = false;
  }
}
