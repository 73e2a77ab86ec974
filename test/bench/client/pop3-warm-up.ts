// Warms the bench's own POP3 client code (and Node's socket code in this process) against a throwaway
// loopback responder, so that the first server measured does not pay for a cold client: the servers are
// measured one after the other by the same process, and per-command latencies are tens of microseconds.
// The measured servers see none of this traffic.
import { type LineAnswer, withLineResponder } from './line-responder.js';
import { Pop3Connection } from './pop3-client.js';

/** +OK to every line; a multi-line answer (two lines and the dot) to LIST. */
function answer(line: string): LineAnswer {
  if (line === 'QUIT') return { reply: '+OK bye\r\n', last: true };
  return { reply: line === 'LIST' ? '+OK 2 messages\r\n1 100\r\n2 200\r\n.\r\n' : '+OK 2 300\r\n' };
}

/** Runs `commands` single-line and a tenth as many multi-line commands through a Pop3Connection. */
export async function warmPop3Client(commands = 2000): Promise<void> {
  await withLineResponder('+OK warm-up responder\r\n', answer, async (port) => {
    const { conn } = await Pop3Connection.open(port, '127.0.0.1');
    for (let i = 0; i < commands; i++) {
      const r = await conn.command('STAT');
      if (!r.ok) throw new Error(`warm-up responder: ${r.status}`);
      if (i % 10 === 0) await conn.command('LIST', true, i % 20 === 0);
    }
    await conn.quit();
  });
}
