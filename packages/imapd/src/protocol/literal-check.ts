import { ImapLimitError, ImapProtocolError } from './errors.js';
import type { LiteralEvent } from './parser-events.js';
import { LITERAL_MINUS_MAX, type ResolvedParserOptions } from './parser-options.js';
import type { CommandHead } from './token-stack.js';

/** Whether a literal announced by `{size}` / `{size+}` may be read; the error to report if not. */
export function checkLiteral(
  head: CommandHead,
  size: number,
  sync: boolean,
  opt: ResolvedParserOptions,
): ImapProtocolError | null {
  if (head.tag === null) return new ImapProtocolError('BAD_TAG', 'missing tag');
  if (head.name === null) return new ImapProtocolError('MISSING_COMMAND', 'missing command');
  if (!sync && opt.nonSyncLiterals === 'none') {
    return new ImapProtocolError('NON_SYNC_LITERAL_REFUSED', 'non-synchronizing literals are not supported');
  }
  if (!sync && opt.nonSyncLiterals === 'minus' && size > LITERAL_MINUS_MAX) {
    return new ImapLimitError(
      'NON_SYNC_LITERAL_TOO_LARGE',
      'non-synchronizing literal too large',
      LITERAL_MINUS_MAX,
    );
  }
  if (size > opt.maxLiteralSize)
    return new ImapLimitError('LITERAL_TOO_LARGE', 'literal too large', opt.maxLiteralSize);
  return null;
}

/** Progress through `{digits[+]}` CR LF after the `{`. */
export interface LiteralHeader {
  digits: string;
  plus: boolean;
  binary: boolean;
  stage: 'digits' | 'end' | 'cr';
}

export type LiteralHeaderStep = 'more' | 'ready' | { readonly error: string; readonly lineOver: boolean };

/** Feeds one byte of a literal header. */
export function literalHeaderByte(h: LiteralHeader, b: number): LiteralHeaderStep {
  if (h.stage === 'digits') {
    if (b >= 0x30 && b <= 0x39 && !h.plus && h.digits.length < 11) h.digits += String.fromCharCode(b);
    else if (b === 0x2b && h.digits.length > 0 && !h.plus) h.plus = true;
    else if (b === 0x7d && h.digits.length > 0) h.stage = 'end';
    else return { error: 'invalid literal header', lineOver: b === 0x0a };
    return 'more';
  }
  if (b === 0x0a) return 'ready';
  if (b === 0x0d && h.stage === 'end') {
    h.stage = 'cr';
    return 'more';
  }
  return { error: 'literal header not at end of line', lineOver: false };
}

export function literalEvent(
  head: CommandHead,
  depth: number,
  size: number,
  binary: boolean,
  sync: boolean,
): LiteralEvent {
  return {
    type: 'literal',
    tag: head.tag,
    name: head.name,
    uid: head.uid,
    args: head.rest,
    depth,
    size,
    binary,
    synchronizing: sync,
  };
}
