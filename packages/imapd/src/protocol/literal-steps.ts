/**
 * Parser steps for literals: the `{n}` / `{n+}` / `~{n}` header, the pause for the session's
 * decision, the data (buffered or streamed), and the token or section splice that follows.
 */
import { ImapLimitError, type ImapProtocolError } from './errors.js';
import { quoteSectionLiteral } from './line-scanners.js';
import { checkLiteral, literalEvent, literalHeaderByte } from './literal-check.js';
import type { ParserCore, PendingLiteral } from './parser-core.js';

export function startLiteralHeader(p: ParserCore, binary: boolean): void {
  p.lit = { digits: '', plus: false, binary, stage: 'digits' };
  p.state = 'lit-hdr';
}

/** `lit-hdr`: one byte of the header. */
export function literalHeader(p: ParserCore, buf: Buffer, pos: number): number {
  if (!p.count(1)) return pos + 1;
  const step = literalHeaderByte(p.lit, buf[pos]!);
  if (step === 'ready') literalReady(p);
  else if (step !== 'more') p.fail('SYNTAX', step.error, step.lineOver);
  return pos + 1;
}

/** The header is complete: refuse it at once, or pause (`wait`) with a `literal` event. */
function literalReady(p: ParserCore): void {
  const size = Number(p.lit.digits);
  const sync = !p.lit.plus;
  const binary = p.lit.binary;
  const head = p.tokens.head();
  const error = checkLiteral(head, size, sync, p.opt);
  if (error !== null) {
    p.out.push({ type: 'error', error, tag: head.tag, name: head.name });
    p.resetLine();
    if (!sync) {
      p.remaining = size;
      p.state = 'skip-literal';
    }
    return;
  }
  p.literal = { size, binary, sync };
  p.state = 'wait';
  p.out.push(literalEvent(head, p.tokens.depth, size, binary, sync));
}

function requireLiteral(p: ParserCore): PendingLiteral {
  if (p.state !== 'wait' || p.literal === null) throw new Error('no literal is pending');
  return p.literal;
}

/** CommandParser.acceptLiteral: see there. */
export function acceptLiteral(p: ParserCore, options: { stream?: boolean }): ImapProtocolError | null {
  const lit = requireLiteral(p);
  const stream = (options.stream ?? false) && p.atomPrefix === null;
  if (!stream && lit.size > p.opt.maxBufferedLiteral) {
    rejectLiteral(p);
    return new ImapLimitError('LITERAL_TOO_LARGE', 'literal too large to buffer', p.opt.maxBufferedLiteral);
  }
  p.remaining = lit.size;
  p.acc.clear();
  p.state = stream ? 'lit-stream' : 'lit-data';
  if (lit.size === 0) finishLiteral(p, stream);
  return null;
}

/** CommandParser.rejectLiteral: drop the command; a non-synchronising literal's bytes are skipped. */
export function rejectLiteral(p: ParserCore): void {
  const lit = requireLiteral(p);
  p.literal = null;
  p.resetLine();
  if (!lit.sync) {
    p.remaining = lit.size;
    p.state = 'skip-literal';
  }
}

/** `lit-data` / `lit-stream`: literal bytes, kept or handed out as `literal-data` events. */
export function literalData(p: ParserCore, buf: Buffer, pos: number): number {
  const n = Math.min(p.remaining, buf.length - pos);
  const slice = buf.subarray(pos, pos + n);
  p.remaining -= n;
  if (p.state === 'lit-stream') p.out.push({ type: 'literal-data', chunk: slice });
  else p.acc.push(slice);
  if (p.remaining === 0) finishLiteral(p, p.state === 'lit-stream');
  return pos + n;
}

function finishLiteral(p: ParserCore, streamed: boolean): void {
  const lit = p.literal!;
  p.literal = null;
  if (p.atomPrefix !== null) {
    const quoted = quoteSectionLiteral(p.acc.take());
    if (quoted === null) {
      p.fail('SYNTAX', 'line end inside a section literal', false);
      return;
    }
    p.acc.push(p.atomPrefix);
    p.acc.push(quoted);
    p.atomPrefix = null;
    p.state = 'atom';
    return;
  }
  p.state = 'between';
  if (streamed) {
    p.out.push({ type: 'literal-end' });
    p.addToken({ type: 'streamed', size: lit.size, binary: lit.binary });
  } else {
    const value = p.acc.take();
    p.addToken({ type: 'string', value, form: lit.binary ? 'literal8' : 'literal' });
  }
}

/** `skip-literal`: the bytes of a refused non-synchronising literal, then the rest of its line. */
export function skipLiteral(p: ParserCore, buf: Buffer, pos: number): number {
  const n = Math.min(p.remaining, buf.length - pos);
  p.remaining -= n;
  if (p.remaining === 0) {
    p.skip.tail = '';
    p.state = 'skip-line';
  }
  return pos + n;
}
