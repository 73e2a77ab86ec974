// Warms the bench's own IMAP client code (and Node's socket code in this process) against a throwaway
// loopback responder, as pop3-warm-up.ts does for POP3: the servers are measured one after the other
// by the same process, so without it the first server measured (courier-ts) would pay for a cold
// client in every IMAP line: thousands of untagged responses to split, literals to skip. The
// measured servers see none of this traffic.
import { ImapConnection } from './imap-client.js';
import { type LineAnswer, withLineResponder } from './line-responder.js';

/** Untagged responses to a `FETCH 1:*` (as many as a small folder has). */
const FOLDER = 2000;
/** Literal sizes of `FETCH n BODY.PEEK[]`, by n: a few KiB to a MiB, as mail is. */
const SIZES = [900, 4_000, 12_000, 60_000, 250_000, 1_100_000];

function fetchAll(what: string): string {
  const out: string[] = [];
  for (let i = 1; i <= FOLDER; i++) {
    out.push(
      what.includes('ENVELOPE')
        ? `* ${i} FETCH (ENVELOPE ("Mon, 2 Nov 2026 10:00:00 +0000" "subject ${i}" (("A" NIL "a" "example.org")) NIL NIL NIL NIL NIL NIL "<m${i}@example.org>") BODYSTRUCTURE ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" ${i} 1 NIL NIL NIL NIL))\r\n`
        : `* ${i} FETCH (UID ${i} FLAGS (\\Seen) RFC822.SIZE ${1000 + i} INTERNALDATE "02-Nov-2026 10:00:00 +0000")\r\n`,
    );
  }
  return out.join('');
}

/** The reply to one command line: canned, in the shapes the measures read. */
function answer(line: string): LineAnswer {
  const sp = line.indexOf(' ');
  const tag = line.slice(0, sp);
  const command = line.slice(sp + 1);
  const verb = command.split(' ', 1)[0]!.toUpperCase();
  if (verb === 'LOGOUT') return { reply: `* BYE bye\r\n${tag} OK LOGOUT done\r\n`, last: true };
  if (verb === 'SELECT' || verb === 'EXAMINE')
    return {
      reply: `* ${FOLDER} EXISTS\r\n* 0 RECENT\r\n* OK [UIDVALIDITY 1] ok\r\n* OK [UIDNEXT ${FOLDER + 1}] ok\r\n${tag} OK [READ-WRITE] done\r\n`,
    };
  const body = /^FETCH (\d+) BODY\.PEEK\[\]$/i.exec(command);
  if (body) {
    const n = Number(body[1]);
    const data = Buffer.alloc(SIZES[n % SIZES.length]!, 0x61);
    return {
      reply: [
        Buffer.from(`* ${n} FETCH (BODY[] {${data.length}}\r\n`, 'latin1'),
        data,
        Buffer.from(`)\r\n${tag} OK FETCH done\r\n`, 'latin1'),
      ],
    };
  }
  if (/^FETCH 1:\* /i.test(command)) return { reply: `${fetchAll(command)}${tag} OK FETCH done\r\n` };
  return { reply: `${tag} OK done\r\n` };
}

/**
 * Runs what the IMAP measures send through an ImapConnection, `rounds` times: LOGIN, SELECT, the
 * two `FETCH 1:*` forms, bodies one by one and 16 in flight, NOOPs.
 */
export async function warmImapClient(rounds = 3): Promise<void> {
  await withLineResponder('* OK warm-up responder\r\n', answer, async (port) => {
    for (let round = 0; round < rounds; round++) {
      const c = await ImapConnection.open(port, '127.0.0.1');
      await c.login('warm', 'up');
      if ((await c.select('INBOX')) !== FOLDER) throw new Error('warm-up responder: SELECT');
      for (const items of ['(UID FLAGS RFC822.SIZE INTERNALDATE)', '(ENVELOPE BODYSTRUCTURE)']) {
        const r = await c.command(`FETCH 1:* ${items}`);
        if (r.untaggedCount !== FOLDER) throw new Error(`warm-up responder: FETCH ${items}`);
      }
      for (let n = 1; n <= 120; n++) await c.command(`FETCH ${n} BODY.PEEK[]`);
      for (let n = 1; n <= 120; n += 16)
        await c.pipeline(Array.from({ length: 16 }, (_, k) => `FETCH ${n + k} BODY.PEEK[]`));
      for (let i = 0; i < 300; i++) await c.command('NOOP');
      await c.logout();
    }
  });
}
