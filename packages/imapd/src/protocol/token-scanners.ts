import type { ByteAccumulator } from './byte-accumulator.js';
import { BACKSLASH, CR, DQUOTE, isCtl, LBRACKET, LF, LPAREN, RBRACKET, RPAREN, SP } from './bytes.js';

/** Fetch attributes whose `[section]` may hold spaces and parentheses. */
const BRACKET_ATOMS = new Set(['BODY', 'BODY.PEEK', 'BINARY', 'BINARY.PEEK', 'BINARY.SIZE']);

/** State of an atom being read, kept across chunks. */
export interface AtomState {
  bracket: boolean;
  bracketQuote: boolean;
  escape: boolean;
}

export interface ScanResult {
  /** Where scanning stopped: the terminator (atom), after the closing quote, or after the bad byte. */
  readonly end: number;
  readonly done: boolean;
  readonly error: string | null;
  /** The error byte was the line's LF (the line is over). */
  readonly lineOver: boolean;
}

/** Byte classes for atoms: 0 = atom byte, 1 = ends the atom, 2 = invalid, 3 = `[`. */
const ATOM_CLASS = (() => {
  const t = new Uint8Array(256);
  for (let b = 0; b < 0x20; b++) t[b] = 2;
  t[0x7f] = 2;
  t[DQUOTE] = 2;
  for (const b of [SP, LPAREN, RPAREN, CR, LF]) t[b] = 1;
  t[LBRACKET] = 3;
  return t;
})();

/**
 * Scans inside `[...]`: returns the index after `]` (st.bracket cleared), or of the line end
 * or chunk end (st.bracket still set), or -1 - index of a control character.
 */
function scanBracket(buf: Buffer, i: number, end: number, st: AtomState): number {
  for (; i < end; i++) {
    const b = buf[i]!;
    if (b === CR || b === LF) return i;
    if (st.bracketQuote) {
      if (st.escape) st.escape = false;
      else if (b === BACKSLASH) st.escape = true;
      else if (b === DQUOTE) st.bracketQuote = false;
    } else if (b === DQUOTE) st.bracketQuote = true;
    else if (b === RBRACKET) {
      st.bracket = false;
      return i + 1;
    } else if (isCtl(b)) return -1 - i;
  }
  return i;
}

/**
 * Reads atom bytes from `pos` into `acc` until a delimiter (left unconsumed) or `end` (the
 * caller bounds `end` so that limits trip at the same byte however the input is chunked).
 */
export function scanAtom(
  buf: Buffer,
  pos: number,
  end: number,
  st: AtomState,
  acc: ByteAccumulator,
): ScanResult {
  const len = end;
  let i = pos;
  let delimited = false;
  while (i < len) {
    if (st.bracket) {
      const r = scanBracket(buf, i, len, st);
      if (r < 0) return { end: -1 - r, done: false, error: 'control character in atom', lineOver: false };
      i = r;
      if (st.bracket) {
        delimited = i < len;
        break;
      }
      continue;
    }
    const cls = ATOM_CLASS[buf[i]!]!;
    if (cls === 0) {
      i++;
      continue;
    }
    if (cls === 1) {
      delimited = true;
      break;
    }
    if (cls === 2) return { end: i, done: false, error: 'invalid character in atom', lineOver: false };
    if (i - pos + acc.length <= 11) {
      const before = Buffer.concat([acc.peek(), buf.subarray(pos, i)])
        .toString('latin1')
        .toUpperCase();
      st.bracket = BRACKET_ATOMS.has(before);
    }
    i++;
  }
  acc.push(buf.subarray(pos, i));
  return { end: i, done: delimited, error: null, lineOver: false };
}

/** Reads quoted-string content (escapes removed) into `acc`; `done` after the closing quote. */
export function scanQuoted(
  buf: Buffer,
  pos: number,
  end: number,
  st: { escape: boolean },
  acc: ByteAccumulator,
): ScanResult {
  let start = pos;
  for (let i = pos; i < end; i++) {
    const b = buf[i]!;
    if (st.escape) {
      // RFC 3501 allows only \" and \\; Courier takes any escaped byte as itself, and so do we.
      if (b === CR || b === LF || b === 0) {
        return { end: i + 1, done: false, error: 'invalid escape in quoted string', lineOver: b === LF };
      }
      st.escape = false;
      continue;
    }
    if (b === BACKSLASH) {
      acc.push(buf.subarray(start, i));
      start = i + 1;
      st.escape = true;
    } else if (b === DQUOTE) {
      acc.push(buf.subarray(start, i));
      return { end: i + 1, done: true, error: null, lineOver: false };
    } else if (b === CR || b === LF || b === 0) {
      return { end: i + 1, done: false, error: 'invalid character in quoted string', lineOver: b === LF };
    }
  }
  acc.push(buf.subarray(start, end));
  return { end, done: false, error: null, lineOver: false };
}
