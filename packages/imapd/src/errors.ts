/**
 * Typed errors of @courier-ts/imapd. Commands throw these (or the protocol/maildir errors); the
 * session maps each code to Courier's reply once (session/error-reply.ts).
 */

export const IMAPD_ERROR_CODES = [
  /** Courier's catch-all: `NO Error in IMAP command received by server.` (counts as a violation). */
  'BAD_COMMAND',
  /** Missing mandatory arguments: `BAD Invalid command`. */
  'INVALID_COMMAND',
  /** A reply with its own text (`NO Invalid mailbox name.`, `NO Cannot create this folder.` ...). */
  'REFUSED',
  /** Something went wrong on our side; the client gets a fixed text, the log the details. */
  'INTERNAL',
] as const;
export type ImapdErrorCode = (typeof IMAPD_ERROR_CODES)[number];

export class ImapdError extends Error {
  readonly code: ImapdErrorCode;
  constructor(code: ImapdErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ImapdError';
    this.code = code;
  }
}

/** The command is not valid here (`NO Error in IMAP command received by server.`). */
export class BadCommandError extends ImapdError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('BAD_COMMAND', message, options);
    this.name = 'BadCommandError';
  }
}

/** Mandatory arguments are missing (`BAD Invalid command`). */
export class InvalidCommandError extends ImapdError {
  constructor(message: string) {
    super('INVALID_COMMAND', message);
    this.name = 'InvalidCommandError';
  }
}

/** An expected refusal with Courier's exact text: `NO [code] text` (or BAD). */
export class RefusedError extends ImapdError {
  readonly status: 'NO' | 'BAD';
  readonly text: string;
  readonly respCode: string | undefined;
  constructor(text: string, options: { code?: string; status?: 'NO' | 'BAD' } = {}) {
    super('REFUSED', text);
    this.name = 'RefusedError';
    this.status = options.status ?? 'NO';
    this.text = text;
    this.respCode = options.code;
  }
}
