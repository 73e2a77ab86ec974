/**
 * A spare worker's warm-up (runtime spare-worker.ts): POP3 sessions on a scratch maildrop, every
 * transaction command many times, so that the first real session of the process runs compiled code.
 * Its own session main (own maildrop sharing): nothing of it outlives the warm-up.
 */
import { createScratchMaildir } from '@courier-ts/maildir';
import { runWarmUpSession, type WarmUpTalk, type WorkerLogSettings, warmUpLogger } from '@courier-ts/runtime';
import { MAILDROP_COMMANDS } from '../commands/maildrop.js';
import { courierMaildropOpener } from '../maildrop-opener.js';
import { createTransactionMain } from './transaction.js';
import { commandTable, type Pop3SessionInit, type TransactionSettings } from './types.js';

const MESSAGES = 300;
const SESSIONS = 3;

/** What the server hands its spare worker: the session settings, and how its sessions will log. */
export interface Pop3WarmUpArg {
  readonly settings: TransactionSettings;
  readonly log: WorkerLogSettings;
}

const oneLine = (r: string): boolean => r.endsWith('\r\n');
const multiLine = (r: string): boolean => (r.startsWith('-') ? r.endsWith('\r\n') : r.endsWith('\r\n.\r\n'));

/** Rounds of RETR over the last messages (the larger ones among them). */
const LARGE_ROUNDS = 4;

async function talk(t: WarmUpTalk, messages: number, total: number): Promise<void> {
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
  for (let round = 0; round < LARGE_ROUNDS; round++) {
    for (let n = messages + 1; n <= total; n++) await t.send(`RETR ${n}`, multiLine);
  }
  await t.send('RETR 999999', oneLine);
  await t.send('NOOP', oneLine);
  await t.send('RSET', oneLine);
  await t.send('QUIT', oneLine);
}

/** `arg`: a Pop3WarmUpArg. Stops early when `signal` fires (an account claims the process). Returns the replies received. */
export async function warmUpPop3(arg: unknown, signal: AbortSignal): Promise<number> {
  const { settings, log } = arg as Pop3WarmUpArg;
  const scratch = await createScratchMaildir(MESSAGES, { large: true });
  // As a worker's session logger (same format and level, same bindings), writing nowhere.
  const sessionLog = warmUpLogger(log, { cid: 'warm-up', proto: 'pop3', remote: '127.0.0.1' });
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
        settings,
      };
      const script = (t: WarmUpTalk): Promise<void> => talk(t, MESSAGES, scratch.messages);
      // The first over a unix socket pair (a TLS session reaches its worker through one), the others
      // over TCP as a plain session's socket is: the compiled code then serves both.
      replies += await runWarmUpSession(main, init, signal, script, {
        transport: i === 0 ? 'socket-pair' : 'tcp',
        log: sessionLog,
      });
    }
  } finally {
    await scratch.dispose();
  }
  return replies;
}
