// Public API of @courier-ts/pop3d: the POP3 server (Courier pop3d drop-in).
export { AUTH_COMMANDS } from './commands/auth.js';
export { MAILDROP_COMMANDS } from './commands/maildrop.js';
export { POP3D_ERROR_CODES, Pop3dError, type Pop3dErrorCode } from './errors.js';
export { courierMaildropOpener } from './maildrop-opener.js';
export { type PreauthOptions, runPreauth } from './preauth.js';
export {
  type CommandLine,
  parseCommandLine,
  parseLineCount,
  parseMessageNumber,
} from './protocol/command-line.js';
export { DotStuffer, type DotStufferOptions } from './protocol/dot-stuffer.js';
export { line, multiline, REPLY, retrReply, statReply, withCode } from './protocol/replies.js';
export { type UnicodeWrapper, unicodeWrapper, wrapperBoundary } from './protocol/unicode-wrapper.js';
export { createPop3Server, type Pop3Server, type Pop3ServerOptions } from './server.js';
export { acctLine, loginLine } from './session/logout-line.js';
export { createTransactionMain, TransactionSession } from './session/transaction.js';
export type {
  OpenMaildrop,
  Pop3MaildropLike,
  Pop3SessionInit,
  TransactionSettings,
} from './session/types.js';
export { POP3_SESSION_MODULE, pop3SessionMain, warmUpPop3 } from './session-entry.js';
export { maildirFor } from './session-init.js';
export { capaLines, type Pop3dSettings, resolvePop3dSettings } from './settings.js';
