import { pino } from 'pino';
import { SocketPairFactory } from './socket-pair.js';
import type { SessionMain } from './types.js';

/** The client side of a warm-up session: one line out, the reply in, until `complete` says it is whole. */
export interface WarmUpTalk {
  send(line: string, complete: (reply: string) => boolean): Promise<string>;
  /** The first bytes the session sent (its greeting), once `complete` says they are whole. */
  greeting(complete: (reply: string) => boolean): Promise<string>;
}

/**
 * Runs `main` on one end of a connected socket pair, as a worker runs a real session (same code,
 * socket and stream paths), and `talk` on the other end; silent logger. Ends when `talk` is done (the
 * client end is closed) or `signal` fires. Warm-up only: the scratch data is the caller's. Returns
 * the number of whole replies received.
 */
export async function runWarmUpSession<I>(
  main: SessionMain<I>,
  init: I,
  signal: AbortSignal,
  talk: (t: WarmUpTalk) => Promise<void>,
): Promise<number> {
  const pairs = new SocketPairFactory();
  try {
    const [client, server] = await pairs.pair();
    const log = pino({ level: 'silent' });
    const session = main(server, { init, pending: Buffer.alloc(0), log, signal }).catch(() => undefined);
    let received = '';
    let replies = 0;
    let waiter: (() => void) | undefined;
    client.on('data', (c: Buffer) => {
      received += c.toString('latin1');
      waiter?.();
    });
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.on('error', () => undefined);
    const take = (complete: (reply: string) => boolean): Promise<string> =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (signal.aborted) reject(new Error('warm-up stopped'));
          else if (complete(received)) {
            const r = received;
            received = '';
            waiter = undefined;
            replies++;
            resolve(r);
          }
        };
        waiter = check;
        void closed.then(() => reject(new Error('warm-up session closed')));
        check();
      });
    await talk({
      send: (line, complete) => {
        client.write(`${line}\r\n`);
        return take(complete);
      },
      greeting: take,
    }).catch(() => undefined);
    client.end();
    client.destroy();
    server.destroy();
    await session;
    return replies;
  } finally {
    await pairs.close();
  }
}
