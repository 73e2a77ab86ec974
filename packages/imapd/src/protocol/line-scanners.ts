import type { ByteAccumulator } from './byte-accumulator.js';
import { CR, LF } from './bytes.js';

const SKIPPED_NON_SYNC = /\{(\d{1,10})\+\}\r?$/;

export interface SkipState {
  /** The last bytes of the line being skipped (to spot a trailing `{n+}`). */
  tail: string;
}

/**
 * Skips the rest of a rejected line. Returns the position after it (or the chunk end) and,
 * once the line is over, the size of a non-synchronizing literal it announced (its bytes
 * follow and must be skipped too) or null.
 */
export function skipLine(
  buf: Buffer,
  pos: number,
  st: SkipState,
): { end: number; done: boolean; literal: number | null } {
  const i = buf.indexOf(LF, pos);
  const end = i === -1 ? buf.length : i;
  st.tail = (st.tail + buf.toString('latin1', Math.max(pos, end - 24), end)).slice(-24);
  if (i === -1) return { end, done: false, literal: null };
  const m = SKIPPED_NON_SYNC.exec(st.tail);
  st.tail = '';
  return { end: i + 1, done: true, literal: m === null ? null : Number(m[1]) };
}

/**
 * Collects a raw line (IDLE's DONE, SASL responses) into `acc`. Returns the line without its
 * CR LF once complete, `tooLong` when it passed `max` bytes, else null for "need more".
 */
export function readRawLine(
  buf: Buffer,
  pos: number,
  acc: ByteAccumulator,
  max: number,
): { end: number; line: Buffer | null; tooLong: boolean } {
  const i = buf.indexOf(LF, pos);
  const end = i === -1 ? buf.length : i;
  acc.push(buf.subarray(pos, end));
  if (acc.length > max + 1) {
    acc.clear();
    return { end, line: null, tooLong: true };
  }
  if (i === -1) return { end, line: null, tooLong: false };
  let line = acc.take();
  if (line.length > 0 && line[line.length - 1] === CR) line = line.subarray(0, line.length - 1);
  return { end: i + 1, line, tooLong: false };
}

/** A literal read inside a fetch section, put back into the atom as a quoted string; null if unusable. */
export function quoteSectionLiteral(value: Buffer): Buffer | null {
  if (value.includes(CR) || value.includes(LF) || value.includes(0)) return null;
  return Buffer.from(`"${value.toString('latin1').replace(/["\\]/g, '\\$&')}"`, 'latin1');
}
