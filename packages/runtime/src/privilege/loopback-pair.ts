import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';

/**
 * A connected TCP pair on the loopback interface, [client end, server end], both with Nagle's
 * algorithm off as the listeners set it: the socket a plain session gets.
 */
export async function loopbackPair(): Promise<[Socket, Socket]> {
  const server = createServer();
  try {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no loopback port');
    const accepted = once(server, 'connection') as Promise<[Socket]>;
    const client = connect(address.port, '127.0.0.1');
    client.on('error', () => undefined);
    await once(client, 'connect');
    const [end] = await accepted;
    client.setNoDelay(true);
    end.setNoDelay(true);
    return [client, end];
  } finally {
    server.close();
  }
}
