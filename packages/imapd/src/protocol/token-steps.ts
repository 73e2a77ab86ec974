/**
 * Parser steps between and inside tokens: separators, lists, the start of each token kind,
 * atoms (with Courier's literal inside a fetch section) and quoted strings.
 */
import { CR, DQUOTE, isCtl, LBRACE, LF, LPAREN, RPAREN, SP, TILDE } from './bytes.js';
import { startLiteralHeader } from './literal-steps.js';
import type { ParserCore } from './parser-core.js';
import { scanAtom, scanQuoted } from './token-scanners.js';

/** `between`: one byte between tokens. */
export function between(p: ParserCore, buf: Buffer, pos: number): number {
  const b = buf[pos]!;
  if (b === LF) {
    p.endLine();
    return pos + 1;
  }
  if (!p.count(1)) return pos + 1;
  switch (b) {
    case SP:
      return pos + 1;
    case CR:
      p.state = 'cr';
      return pos + 1;
    case LPAREN:
      if (p.tokens.depth >= p.opt.maxDepth) {
        p.failLimit('TOO_DEEP', `lists nested deeper than ${p.opt.maxDepth}`, p.opt.maxDepth);
      } else if (p.countToken()) {
        p.tokens.open();
      }
      return pos + 1;
    case RPAREN: {
      if (!p.tokens.close()) p.fail('SYNTAX', 'unbalanced )', false);
      return pos + 1;
    }
    case DQUOTE:
      p.acc.clear();
      p.resetAtomState();
      p.state = 'quoted';
      return pos + 1;
    case LBRACE:
      startLiteralHeader(p, false);
      return pos + 1;
    case TILDE:
      p.state = 'tilde';
      return pos + 1;
    default:
      if (isCtl(b)) {
        p.fail('SYNTAX', 'control character in command line', false);
        return pos + 1;
      }
      p.lineLength--; // counted again as part of the atom
      p.acc.clear();
      p.resetAtomState();
      p.state = 'atom';
      return pos;
  }
}

/** `tilde`: `~{` starts a literal8, anything else makes `~` the start of an atom. */
export function tilde(p: ParserCore, buf: Buffer, pos: number): number {
  if (buf[pos] === LBRACE) {
    if (p.count(1)) startLiteralHeader(p, true);
    return pos + 1;
  }
  p.acc.clear();
  p.acc.push(Buffer.from('~'));
  p.resetAtomState();
  p.state = 'atom';
  return pos;
}

/** `atom`: as many atom bytes as the chunk and the limits allow. */
export function atom(p: ParserCore, buf: Buffer, pos: number): number {
  const room = Math.min(p.opt.maxAtomLength - p.acc.length, p.opt.maxLineLength - p.lineLength);
  const r = scanAtom(buf, pos, Math.min(buf.length, pos + Math.max(room, 0) + 1), p.atomState, p.acc);
  if (r.error !== null) {
    p.fail('SYNTAX', r.error, false);
    return r.end;
  }
  if (p.acc.length > p.opt.maxAtomLength) {
    p.failLimit('ATOM_TOO_LONG', 'max atom size too small', p.opt.maxAtomLength, true);
    return r.end;
  }
  if (!p.count(r.end - pos)) return r.end;
  if (r.done) {
    if (p.atomState.bracket && bracketLiteral(p)) return r.end;
    p.state = 'between';
    p.addToken({ type: 'atom', value: p.acc.takeText() });
  }
  return r.end;
}

/**
 * A literal inside a fetch section (`BODY[HEADER.FIELDS (From {4}` CRLF `Date)]`), which
 * Courier accepts: the atom so far is kept, the literal read, then spliced in quoted.
 */
function bracketLiteral(p: ParserCore): boolean {
  const tail = p.acc.peek().toString('latin1', Math.max(0, p.acc.length - 16));
  const m = /\{([0-9]{1,10})(\+?)\}$/.exec(tail);
  if (m === null) return false;
  const text = p.acc.take();
  p.atomPrefix = text.subarray(0, text.length - m[0].length);
  p.lit = { digits: m[1]!, plus: m[2] === '+', binary: false, stage: 'end' };
  p.state = 'lit-hdr';
  return true;
}

/** `quoted`: as many bytes of a quoted string as the chunk and the limits allow. */
export function quoted(p: ParserCore, buf: Buffer, pos: number): number {
  const room = Math.min(p.opt.maxQuotedLength - p.acc.length, p.opt.maxLineLength - p.lineLength);
  const r = scanQuoted(buf, pos, Math.min(buf.length, pos + Math.max(room, 0) + 1), p.atomState, p.acc);
  if (r.error !== null) {
    p.fail('SYNTAX', r.error, r.lineOver);
    return r.end;
  }
  if (!quotedLimit(p) || !p.count(r.end - pos)) return r.end;
  if (r.done) {
    p.state = 'between';
    p.addToken({ type: 'string', value: p.acc.take(), form: 'quoted' });
  }
  return r.end;
}

function quotedLimit(p: ParserCore): boolean {
  if (p.acc.length <= p.opt.maxQuotedLength) return true;
  p.failLimit('QUOTED_TOO_LONG', 'IMAP command too long.', p.opt.maxQuotedLength);
  return false;
}
