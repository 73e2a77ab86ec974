// The logged-in session as a per-uid worker process loads it (WorkerPool imports this module by URL).
import { imapRegistry } from './commands/index.js';
import { createImapSessionMain } from './session/logged-in.js';

export const imapSessionMain = createImapSessionMain({ registry: imapRegistry() });

/** Where WorkerPool finds imapSessionMain. */
export const IMAP_SESSION_MODULE = { moduleUrl: import.meta.url, exportName: 'imapSessionMain' } as const;
