import { ChunkQueue } from './chunk-queue.js';
import type { ImapProtocolError } from './errors.js';
import { cr, rawLine, skipLine } from './line-steps.js';
import { acceptLiteral, literalData, literalHeader, rejectLiteral, skipLiteral } from './literal-steps.js';
import { ParserCore } from './parser-core.js';
import type { ParserEvent } from './parser-events.js';
import {
  type CommandParserOptions,
  type ResolvedParserOptions,
  resolveParserOptions,
} from './parser-options.js';
import { atom, between, quoted, tilde } from './token-steps.js';

/**
 * Incremental IMAP command parser. `feed()` chunks of any size, then pull events with
 * `next()` until it returns null; the events do not depend on how the input was split.
 * Literal headers pause the parser until `acceptLiteral()` or `rejectLiteral()`.
 *
 * This class is the driver: input chunks, the event queue and the state dispatch. The state and
 * its bookkeeping are in parser-core.ts; each state's step in token-, literal- and line-steps.ts.
 */
export class CommandParser {
  readonly #p: ParserCore;
  readonly #queue = new ChunkQueue();
  #chunk: Buffer | null = null;
  #pos = 0;

  constructor(options?: CommandParserOptions) {
    this.#p = new ParserCore(resolveParserOptions(options));
  }

  get options(): ResolvedParserOptions {
    return this.#p.opt;
  }

  /** True while a literal header waits for `acceptLiteral()` / `rejectLiteral()`. */
  get awaitingLiteral(): boolean {
    return this.#p.state === 'wait';
  }

  /** True after a fatal error: the session must end. */
  get dead(): boolean {
    return this.#p.state === 'dead';
  }

  /** True between commands with no partial input buffered. */
  get atLineStart(): boolean {
    const p = this.#p;
    return p.state === 'between' && p.tokens.count === 0 && p.lineLength === 0;
  }

  /** Input fed but not consumed yet, or events not taken (a pipelined command may be complete). */
  get hasInput(): boolean {
    return (
      this.#p.out.length > 0 || (this.#chunk !== null && this.#pos < this.#chunk.length) || !this.#queue.empty
    );
  }

  feed(chunk: Buffer): void {
    if (chunk.length > 0) this.#queue.push(chunk);
  }

  next(): ParserEvent | null {
    const p = this.#p;
    for (;;) {
      const ev = p.out.shift();
      if (ev !== undefined) return ev;
      if (p.state === 'wait' || p.state === 'dead') return null;
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
    this.#p.state = 'raw-line';
  }

  /**
   * Takes the pending literal. `stream: true` delivers its bytes as `literal-data` events.
   * Returns an error (and drops the command, as `rejectLiteral()` would) when a buffered
   * literal would exceed `maxBufferedLiteral`; then reply with it instead of `+ OK`.
   */
  acceptLiteral(options: { stream?: boolean } = {}): ImapProtocolError | null {
    return acceptLiteral(this.#p, options);
  }

  /** Drops the command whose literal was announced (the session has replied NO/BAD). */
  rejectLiteral(): void {
    rejectLiteral(this.#p);
  }

  /** Runs the steps over `buf` from `pos` until it is consumed or an event is ready. */
  #run(buf: Buffer, pos: number): number {
    const p = this.#p;
    const len = buf.length;
    while (pos < len && p.out.length === 0) {
      switch (p.state) {
        case 'between':
          pos = between(p, buf, pos);
          break;
        case 'tilde':
          pos = tilde(p, buf, pos);
          break;
        case 'atom':
          pos = atom(p, buf, pos);
          break;
        case 'quoted':
          pos = quoted(p, buf, pos);
          break;
        case 'lit-hdr':
          pos = literalHeader(p, buf, pos);
          break;
        case 'lit-data':
        case 'lit-stream':
          pos = literalData(p, buf, pos);
          break;
        case 'cr':
          pos = cr(p, buf, pos);
          break;
        case 'skip-line':
          pos = skipLine(p, buf, pos);
          break;
        case 'skip-literal':
          pos = skipLiteral(p, buf, pos);
          break;
        case 'raw-line':
          pos = rawLine(p, buf, pos);
          break;
        case 'wait':
        case 'dead':
          return pos;
      }
    }
    return pos;
  }
}
