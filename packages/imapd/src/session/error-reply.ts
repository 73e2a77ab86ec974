/** The one place where errors become replies (Courier's wording, courier-behaviour.md §4.2). */
import { MaildirError } from '@courier-ts/maildir';
import { ImapdError, RefusedError } from '../errors.js';
import { ImapProtocolError } from '../protocol/errors.js';
import type { CommandOutcome } from './command.js';

export const TEXT = {
  error: 'Error in IMAP command received by server.',
  invalid: 'Invalid command',
  tooMany: 'BYE [ALERT] Fatal error: TOO MANY CONSECUTIVE PROTOCOL VIOLATIONS: ',
  atomTooLong: 'BYE [ALERT] Fatal error: max atom size too small: No such file or directory',
  commandTooLong: 'NO [ALERT] IMAP command too long.',
  noMailbox: 'Mailbox does not exist, or must be subscribed to.',
  invalidName: 'Invalid mailbox name.',
  overQuota: 'You exceeded your mail quota.',
  bye: 'BYE Courier-IMAP server shutting down',
  byeSignal: 'BYE Courier-IMAP server shut down by signal.',
  autologout: 'BYE Courier-IMAP server shutting down: autologout',
  /** A command the administrator switched off (IMAP_DISABLETHREADSORT). */
  disabled: 'This command is disabled by the system administrator.',
} as const;

/** A reply plus whether Courier counts it as a protocol violation (the 10-in-a-row rule). */
export interface MappedReply {
  readonly outcome: CommandOutcome;
  readonly violation: boolean;
  /** An error on our side: logged at error level by the caller. */
  readonly internal: boolean;
}

export const ERROR_REPLY: CommandOutcome = { status: 'NO', text: TEXT.error };

function mapMaildir(err: MaildirError): CommandOutcome {
  switch (err.code) {
    case 'NO_SUCH_FOLDER':
      return { status: 'NO', text: TEXT.noMailbox };
    case 'INVALID_FOLDER_NAME':
      return { status: 'NO', text: TEXT.invalidName };
    case 'OVER_QUOTA':
      return { status: 'NO', code: 'ALERT', text: TEXT.overQuota };
    case 'FOLDER_EXISTS':
      return { status: 'NO', text: 'Cannot create this folder.' };
    case 'CANNOT_DELETE':
      return { status: 'NO', text: 'Cannot delete this folder.' };
    case 'CANNOT_RENAME':
      return { status: 'NO', text: 'INBOX rename not implemented.' };
    case 'READ_ONLY':
      return { status: 'NO', text: 'Current box is selected READ-ONLY.' };
    case 'TEMPORARILY_UNAVAILABLE':
      return { status: 'NO', code: 'UNAVAILABLE', text: 'Mailbox temporarily unavailable, try again.' };
    default:
      return ERROR_REPLY;
  }
}

export function errorReply(err: unknown): MappedReply {
  if (err instanceof RefusedError) {
    const outcome: CommandOutcome =
      err.respCode === undefined
        ? { status: err.status, text: err.text }
        : { status: err.status, text: err.text, code: err.respCode };
    return { outcome, violation: false, internal: false };
  }
  if (err instanceof ImapdError) {
    if (err.code === 'INVALID_COMMAND')
      return { outcome: { status: 'BAD', text: TEXT.invalid }, violation: false, internal: false };
    if (err.code === 'INTERNAL') return { outcome: ERROR_REPLY, violation: false, internal: true };
    return { outcome: ERROR_REPLY, violation: true, internal: false };
  }
  if (err instanceof ImapProtocolError) return { outcome: ERROR_REPLY, violation: true, internal: false };
  if (err instanceof MaildirError) {
    const outcome = mapMaildir(err);
    return { outcome, violation: outcome === ERROR_REPLY, internal: false };
  }
  return { outcome: ERROR_REPLY, violation: false, internal: true };
}

/** `tag STATUS [CODE] text\r\n` */
export function taggedLine(tag: string, o: CommandOutcome): string {
  return `${tag} ${o.status} ${o.code === undefined ? '' : `[${o.code}] `}${o.text}\r\n`;
}
