// The post-login session as a worker process loads it (WorkerPool imports this module by URL).
import { MAILDROP_COMMANDS } from './commands/maildrop.js';
import { courierMaildropOpener } from './maildrop-opener.js';
import { createTransactionMain } from './session/transaction.js';
import { commandTable } from './session/types.js';

export { warmUpPop3 } from './session/warm-up.js';

export const pop3SessionMain = createTransactionMain({
  commands: commandTable(MAILDROP_COMMANDS),
  openMaildrop: courierMaildropOpener(),
});

/** Where WorkerPool finds pop3SessionMain (and a spare worker its warm-up). */
export const POP3_SESSION_MODULE = {
  moduleUrl: import.meta.url,
  exportName: 'pop3SessionMain',
  warmUpExport: 'warmUpPop3',
} as const;
