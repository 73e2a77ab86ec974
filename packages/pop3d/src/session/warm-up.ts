/**
 * A spare worker's warm-up (runtime spare-worker.ts): POP3 sessions over a socket pair on a scratch
 * maildrop, every transaction command many times, so that the first real session of the process
 * runs compiled code. Its own session main (own maildrop sharing): nothing of it outlives the warm-up.
 */
import { createScratchMaildir } from '@courier-ts/maildir';
import { runWarmUpSession, type WarmUpTalk } from '@courier-ts/runtime';
import { MAILDROP_COMMANDS } from '../commands/maildrop.js';
import { courierMaildropOpener } from '../maildrop-opener.js';
import { createTransactionMain } from './transaction.js';
import { commandTable, type Pop3SessionInit, type TransactionSettings } from './types.js';

const MESSAGES = 300;
const SESSIONS = 3;

const oneLine = (r: string): boolean => r.endsWith('\r\n');
const multiLine = (r: string): boolean => (r.startsWith('-') ? r.endsWith('\r\n') : r.endsWith('\r\n.\r\n'));

async function talk(t: WarmUpTalk, messages: number): Promise<void> {
  await t.greeting(oneLine);
  for (let i = 0; i < 400; i++) await t.send('STAT', oneLine);
  await t.send('CAPA', multiLine);
  for (let round = 0; round < 3; round++) {
    await t.send('LIST', multiLine);
    await t.send('UIDL', multiLine);
  }
  for (let n = 1; n <= messages; n++) {
    await t.send(`LIST ${n}`, oneLine);
    await t.send(`UIDL ${n}`, oneLine);
    await t.send(`RETR ${n}`, multiLine);
    if (n % 4 === 0) await t.send(`TOP ${n} 5`, multiLine);
    if (n % 10 === 0) await t.send(`DELE ${n}`, oneLine);
  }
  await t.send('RETR 999999', oneLine);
  await t.send('NOOP', oneLine);
  await t.send('RSET', oneLine);
  await t.send('QUIT', oneLine);
}

/** `settings`: the server's transaction settings. Stops early when `signal` fires (an account claims the process). Returns the replies received. */
export async function warmUpPop3(settings: unknown, signal: AbortSignal): Promise<number> {
  const scratch = await createScratchMaildir(MESSAGES);
  let replies = 0;
  try {
    const main = createTransactionMain({
      commands: commandTable(MAILDROP_COMMANDS),
      openMaildrop: courierMaildropOpener(),
    });
    for (let i = 0; i < SESSIONS && !signal.aborted; i++) {
      const init: Pop3SessionInit = {
        user: 'warm-up',
        maildir: scratch.path,
        utf8: false,
        tls: false,
        remoteIp: '127.0.0.1',
        remotePort: 0,
        startedAt: Date.now(),
        disablePop3: false,
        disableInsecurePop3: false,
        capa: ['TOP', 'USER', 'UIDL', 'PIPELINING'],
        greeting: '+OK logged in.',
        settings: settings as TransactionSettings,
      };
      replies += await runWarmUpSession(main, init, signal, (t) => talk(t, MESSAGES));
    }
  } finally {
    await scratch.dispose();
  }
  return replies;
}
