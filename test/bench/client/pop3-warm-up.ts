// Warms the bench's own POP3 client code (and Node's socket code in this process) against a throwaway
// loopback responder, so that the first server measured does not pay for a cold client: the servers are
// measured one after the other by the same process, and per-command latencies are tens of microseconds.
// The measured servers see none of this traffic.
import { type LineAnswer, withLineResponder } from './line-responder.js';
import { Pop3Connection } from './pop3-client.js';

/** A LIST reply as large as the bench maildrop's (10,000 lines, about 110 KB): it arrives in many chunks. */
const LONG_LIST = `+OK 10000 messages\r\n${Array.from({ length: 10_000 }, (_, i) => `${i + 1} ${1000 + i}\r\n`).join('')}.\r\n`;

/** +OK to every line; multi-line answers to LIST (two lines and the dot) and to `LIST long`. */
function answer(line: string): LineAnswer {
  if (line === 'QUIT') return { reply: '+OK bye\r\n', last: true };
  if (line === 'LIST long') return { reply: LONG_LIST };
  return { reply: line === 'LIST' ? '+OK 2 messages\r\n1 100\r\n2 200\r\n.\r\n' : '+OK 2 300\r\n' };
}

/**
 * Runs `commands` single-line and a tenth as many multi-line commands through a Pop3Connection, a
 * fiftieth of them long ones (the bench's LIST and UIDL of 10,000 lines: without these, the first
 * server measured paid for the client's first long replies, 3-4 ms each).
 */
export async function warmPop3Client(commands = 2000): Promise<void> {
  await withLineResponder('+OK warm-up responder\r\n', answer, async (port) => {
    const { conn } = await Pop3Connection.open(port, '127.0.0.1');
    for (let i = 0; i < commands; i++) {
      const r = await conn.command('STAT');
      if (!r.ok) throw new Error(`warm-up responder: ${r.status}`);
      if (i % 10 === 0) await conn.command('LIST', true, i % 20 === 0);
      if (i % 50 === 0) await conn.command('LIST long', true, i % 100 === 0);
    }
    await conn.quit();
  });
}
