// Warms the bench's own POP3 client code (and Node's socket code in this process) against a throwaway
// loopback responder, so that the first server measured does not pay for a cold client: the servers are
// measured one after the other by the same process, and per-command latencies are tens of microseconds.
// The measured servers see none of this traffic.
import { createServer, type Socket } from 'node:net';
import { Pop3Connection } from './pop3-client.js';

/** Replies +OK to every line; a multi-line answer (two lines and the dot) to LIST. */
function respond(socket: Socket): void {
  socket.setNoDelay(true);
  socket.write('+OK warm-up responder\r\n');
  let buf = '';
  socket.on('data', (chunk: Buffer) => {
    buf += chunk.toString('latin1');
    let lf = buf.indexOf('\n');
    while (lf >= 0) {
      const line = buf.slice(0, lf).trim();
      buf = buf.slice(lf + 1);
      if (line === 'QUIT') {
        socket.end('+OK bye\r\n');
        return;
      }
      socket.write(line === 'LIST' ? '+OK 2 messages\r\n1 100\r\n2 200\r\n.\r\n' : '+OK 2 300\r\n');
      lf = buf.indexOf('\n');
    }
  });
  socket.on('error', () => undefined);
}

/** Runs `commands` single-line and a tenth as many multi-line commands through a Pop3Connection. */
export async function warmPop3Client(commands = 2000): Promise<void> {
  const server = createServer(respond);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  try {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('warm-up responder: no port');
    const { conn } = await Pop3Connection.open(address.port, '127.0.0.1');
    for (let i = 0; i < commands; i++) {
      const r = await conn.command('STAT');
      if (!r.ok) throw new Error(`warm-up responder: ${r.status}`);
      if (i % 10 === 0) await conn.command('LIST', true, i % 20 === 0);
    }
    await conn.quit();
  } finally {
    server.close();
  }
}
