import { ImapLimitError, ImapProtocolError } from './errors.js';
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
