/** Parser steps that work on whole lines: CRLF, skipping the rest of a bad line, raw lines. */
import { LF } from './bytes.js';
import { readRawLine, skipLine as scanSkippedLine } from './line-scanners.js';
import type { ParserCore } from './parser-core.js';

/** `cr`: a CR must be followed by LF. */
export function cr(p: ParserCore, buf: Buffer, pos: number): number {
  if (buf[pos] === LF) {
    p.endLine();
    return pos + 1;
  }
  p.fail('SYNTAX', 'bare CR in command line', false);
  return pos;
}

/** `skip-line`: the rest of a line that already got its error (its literals skipped too). */
export function skipLine(p: ParserCore, buf: Buffer, pos: number): number {
  const r = scanSkippedLine(buf, pos, p.skip);
  if (!r.done) return r.end;
  p.resetLine();
  if (r.literal !== null) {
    p.remaining = r.literal;
    p.state = 'skip-literal';
  }
  return r.end;
}

/** `raw-line`: one line as is, for IDLE's `DONE` and SASL responses. */
export function rawLine(p: ParserCore, buf: Buffer, pos: number): number {
  const r = readRawLine(buf, pos, p.acc, p.opt.maxLineLength);
  if (r.tooLong) p.failLimit('LINE_TOO_LONG', 'line too long', p.opt.maxLineLength);
  else if (r.line !== null) {
    p.resetLine();
    p.out.push({ type: 'line', line: r.line });
  }
  return r.end;
}
