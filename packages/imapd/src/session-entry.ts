// The logged-in session as a per-uid worker process loads it (WorkerPool imports this module by URL).
import { imapRegistry } from './commands/index.js';
import { createImapSessionMain } from './session/logged-in.js';

export { warmUpImap } from './session/warm-up.js';

export const imapSessionMain = createImapSessionMain({ registry: imapRegistry() });

/** Where WorkerPool finds imapSessionMain (and a spare worker its warm-up). */
export const IMAP_SESSION_MODULE = {
  moduleUrl: import.meta.url,
  exportName: 'imapSessionMain',
  warmUpExport: 'warmUpImap',
} as const;
