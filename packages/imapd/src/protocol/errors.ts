/**
 * Typed errors of the IMAP protocol layer (parser and argument readers).
 * The session maps `code` to a reply once (Courier answers most of them with
 * `NO Error in IMAP command received by server.`); `fatal` errors end the session.
 */

export const PROTOCOL_ERROR_CODES = [
  'EMPTY_LINE',
  'BAD_TAG',
  'MISSING_COMMAND',
  'SYNTAX',
  'LINE_TOO_LONG',
  'ATOM_TOO_LONG',
  'QUOTED_TOO_LONG',
  'LITERAL_TOO_LARGE',
  'NON_SYNC_LITERAL_TOO_LARGE',
  'NON_SYNC_LITERAL_REFUSED',
  'TOO_DEEP',
  'TOO_MANY_ARGUMENTS',
  'BAD_ARGUMENT',
  'LITERAL_REJECTED',
] as const;
export type ProtocolErrorCode = (typeof PROTOCOL_ERROR_CODES)[number];

export class ImapProtocolError extends Error {
  readonly code: ProtocolErrorCode;
  /** The session cannot go on (Courier: `* BYE [ALERT] Fatal error: ...`). */
  readonly fatal: boolean;
  constructor(code: ProtocolErrorCode, message: string, options?: { fatal?: boolean; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ImapProtocolError';
    this.code = code;
    this.fatal = options?.fatal ?? false;
  }
}

/** A line, token or argument exceeded a configured limit. */
export class ImapLimitError extends ImapProtocolError {
  readonly limit: number;
  constructor(code: ProtocolErrorCode, message: string, limit: number, options?: { fatal?: boolean }) {
    super(code, message, options);
    this.name = 'ImapLimitError';
    this.limit = limit;
  }
}

/** A command's arguments do not match its grammar (thrown by the argument readers). */
export class ImapSyntaxError extends ImapProtocolError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('BAD_ARGUMENT', message, options);
    this.name = 'ImapSyntaxError';
  }
}
