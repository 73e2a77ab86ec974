/**
 * A spare worker's warm-up (runtime spare-worker.ts): IMAP sessions over a socket pair on a scratch
 * maildir, the commands mail clients send most, many times, so that the first real session of the
 * process runs compiled code. Its own session main (own folder sharing, structure memo): nothing of
 * it outlives the warm-up.
 */
import { readdir, readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { createScratchMaildir } from '@courier-ts/maildir';
import { runWarmUpSession, type WarmUpTalk, type WorkerLogSettings, warmUpLogger } from '@courier-ts/runtime';
import { defaultScanThreads, warmScanThreads } from '../commands/fetch/structure-threads.js';
import { imapRegistry } from '../commands/index.js';
import type { ImapSessionSettings } from '../settings.js';
import { createImapSessionMain, type ImapSessionInit } from './logged-in.js';

const MESSAGES = 300;
const SESSIONS = 3;
/**
 * Further scans of the scratch messages in the process's scan thread (the sessions' FETCH scans
 * them once; the later ones find them in the structure cache): a first FETCH of 10,000 messages
 * then costs less CPU. The thread is kept while the process waits as a spare, and for a grace
 * time once it is claimed (structure-threads.ts keepUntil()).
 */
const SCAN_PASSES = 4;
/**
 * Then more passes over the small ones only (most of the calls, little of the time): V8 optimises
 * a function once it has run enough bytecode, and the per-message ones (the scanner's constructor
 * and finish(), the line splitter) had not after SCAN_PASSES; a first FETCH of a large folder
 * compiled them in its first thousands of messages, in each thread.
 */
const SMALL_SCAN_PASSES = 8;
/** What SMALL_SCAN_PASSES scans: messages up to this served size. */
const SMALL_SCAN_SIZE = 64 * 1024;
/** Scan threads kept warm: two where there are two cores or more (a first FETCH of a large folder uses both). */
const SCAN_THREADS = Math.min(2, availableParallelism());

/** The reply to command `tag` is whole: its tagged line has arrived. */
const tagged =
  (tag: string) =>
  (r: string): boolean =>
    r.endsWith('\r\n') && (r.startsWith(`${tag} `) || r.includes(`\r\n${tag} `));

/** Rounds over the last messages (the larger ones among them): one by one, and in one FETCH. */
const LARGE_ROUNDS = 4;
/**
 * Single-message body FETCHes after those, over the scratch messages in turn. A client downloading
 * mail sends thousands of these; with fewer, V8 had not yet optimised the FETCH parser and the body
 * path (parseFetch, parseItem, sectionContent, the cached-read call) when the warm-up ended, and the
 * first download in the process ran at about 0.8 of the second's speed.
 */
const BODY_REPEATS = 1500;

async function talk(t: WarmUpTalk, n: number, total: number): Promise<void> {
  let k = 0;
  const send = (command: string): Promise<string> => {
    const tag = `w${++k}`;
    return t.send(`${tag} ${command}`, tagged(tag));
  };
  await t.greeting((r) => r.endsWith('\r\n'));
  await send('CAPABILITY');
  await send('LIST "" "*"');
  await send('STATUS INBOX (MESSAGES UNSEEN UIDNEXT)');
  await send('SELECT INBOX');
  for (let i = 0; i < 8; i++) await send('FETCH 1:* (UID FLAGS RFC822.SIZE INTERNALDATE)');
  await send('FETCH 1:* (ENVELOPE BODYSTRUCTURE)');
  await send('UID FETCH 1:* (FLAGS)');
  for (let i = 1; i <= n; i++) {
    await send(`FETCH ${i} BODY.PEEK[]`);
    if (i % 5 === 0) await send(`FETCH ${Math.max(1, i - 19)}:${i} (UID FLAGS RFC822.SIZE ENVELOPE)`);
    if (i % 7 === 0) await send(`FETCH ${i} (BODY.PEEK[HEADER.FIELDS (FROM SUBJECT DATE)] BODY.PEEK[1])`);
    if (i % 10 === 0) {
      await send(`STORE ${i} +FLAGS.SILENT (\\Flagged)`);
      await send(`STORE ${i} -FLAGS.SILENT (\\Flagged)`);
      await send(`UID STORE ${i} +FLAGS (\\Seen)`);
    }
  }
  for (let round = 0; round < LARGE_ROUNDS; round++) {
    for (let i = n - 5; i <= total; i++) await send(`FETCH ${i} BODY.PEEK[]`);
    await send(`FETCH ${n - 5}:* (UID BODY.PEEK[])`);
  }
  for (let x = 0; x < BODY_REPEATS; x++) await send(`FETCH ${1 + (x % n)} BODY.PEEK[]`);
  for (let i = 0; i < 300; i++) await send('NOOP');
  await send('UID SEARCH UNSEEN');
  await send('LIST "" "*"');
  await send('STATUS INBOX (MESSAGES UNSEEN UIDNEXT)');
  await send('CLOSE');
  await send('LOGOUT');
}

/** What the server hands its spare worker: the session settings, and how its sessions will log. */
export interface ImapWarmUpArg {
  readonly settings: ImapSessionSettings;
  readonly log: WorkerLogSettings;
}

/** `arg`: an ImapWarmUpArg. Stops early when `signal` fires (an account claims the process). Returns the replies received. */
export async function warmUpImap(arg: unknown, signal: AbortSignal): Promise<number> {
  const { settings, log } = arg as ImapWarmUpArg;
  const scratch = await createScratchMaildir(MESSAGES, { large: true });
  // As a worker's session logger (same format and level, same bindings), writing nowhere.
  const sessionLog = warmUpLogger(log, { cid: 'warm-up', proto: 'imap', remote: '127.0.0.1' });
  let replies = 0;
  try {
    const main = createImapSessionMain({ registry: imapRegistry() });
    for (let i = 0; i < SESSIONS && !signal.aborted; i++) {
      const init: ImapSessionInit = {
        user: 'warm-up',
        maildir: scratch.path,
        tls: false,
        starttls: false,
        utf8: false,
        remoteIp: '127.0.0.1',
        remotePort: 0,
        startedAt: Date.now(),
        greeting: '* PREAUTH Ready.',
        disableImap: false,
        settings: { ...settings, emptyTrash: '' },
      };
      // The first over a unix socket pair (a TLS session reaches its worker through one), the others
      // over TCP as a plain session's socket is: the compiled code then serves both.
      replies += await runWarmUpSession(main, init, signal, (t) => talk(t, MESSAGES, scratch.messages), {
        transport: i === 0 ? 'socket-pair' : 'tcp',
        log: sessionLog,
      });
    }
    if (!signal.aborted) {
      // With their served sizes, as a FETCH gives them (the scan checks what it finds against it).
      const cur = join(scratch.path, 'cur');
      const files = await Promise.all(
        (await readdir(cur)).map(async (f) => {
          const raw = await readFile(join(cur, f));
          let lines = 0;
          for (let i = raw.indexOf(0x0a); i !== -1; i = raw.indexOf(0x0a, i + 1)) lines++;
          return { path: join(cur, f), servedSize: raw.length + lines };
        }),
      );
      const pool = defaultScanThreads();
      await warmScanThreads(pool, files, SCAN_PASSES, SCAN_THREADS, signal);
      const small = files.filter((f) => f.servedSize <= SMALL_SCAN_SIZE);
      await warmScanThreads(pool, small, SMALL_SCAN_PASSES, SCAN_THREADS, signal);
      pool.keepUntil(signal);
    }
  } finally {
    await scratch.dispose();
  }
  return replies;
}
