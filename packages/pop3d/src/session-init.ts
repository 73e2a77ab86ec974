/** What a logged-in session is made of, from the account and the server's settings. */
import { isAbsolute, join } from 'node:path';
import type { AuthAccount } from '@courier-ts/authlib';
import type { TransactionSettings } from './session/types.js';
import type { Pop3dSettings } from './settings.js';

/** Account -> absolute maildir: the account's own, else MAILDIRPATH under home. */
export function maildirFor(account: AuthAccount, maildirPath: string): string {
  const m = account.maildir && account.maildir !== '' ? account.maildir : maildirPath;
  return isAbsolute(m) ? m : join(account.home, m);
}

/** What the logged-in session needs of the settings (structured-clone safe: it may cross into a worker). */
export function transactionSettings(s: Pop3dSettings): TransactionSettings {
  return {
    idleTimeoutMs: s.idleTimeoutMs,
    maxLineLength: s.maxLineLength,
    maxBadCommands: s.maxBadCommands,
    unicodeMessageType: s.unicodeMessageType,
    logDeletions: s.logDeletions,
    respCodes: s.respCodes,
  };
}
