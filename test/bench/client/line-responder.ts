// A throwaway loopback server that answers a bench client line by line with canned replies: what the
// client warm-ups (pop3-warm-up.ts, imap-warm-up.ts) run their client code against, away from the
// measured servers.
import { createServer, type Socket } from 'node:net';

/** The reply to one line the client sent; `last`: close the connection after it. */
export interface LineAnswer {
  readonly reply: string | readonly Buffer[];
  readonly last?: boolean;
}

function respond(socket: Socket, greeting: string, answer: (line: string) => LineAnswer): void {
  socket.setNoDelay(true);
  socket.write(greeting);
  let buf = '';
  socket.on('data', (chunk: Buffer) => {
    buf += chunk.toString('latin1');
    for (let lf = buf.indexOf('\n'); lf >= 0; lf = buf.indexOf('\n')) {
      const line = buf.slice(0, lf).trim();
      buf = buf.slice(lf + 1);
      const a = answer(line);
      if (typeof a.reply === 'string') socket.write(a.reply);
      else for (const b of a.reply) socket.write(b);
      if (a.last) {
        socket.end();
        return;
      }
    }
  });
  socket.on('error', () => undefined);
}

/** Runs `use` with the port of a responder that greets with `greeting` and answers by `answer`. */
export async function withLineResponder(
  greeting: string,
  answer: (line: string) => LineAnswer,
  use: (port: number) => Promise<void>,
): Promise<void> {
  const server = createServer((socket) => respond(socket, greeting, answer));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  try {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('warm-up responder: no port');
    await use(address.port);
  } finally {
    server.close();
  }
}
