import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Connected unix-socket pairs, made through a private listening socket (Node has no socketpair()).
 * The directory is created 0700 by the parent, so no other user can connect in between.
 */
export class SocketPairFactory {
  private server: Server | undefined;
  private path: string | undefined;
  private dir: string | undefined;
  private readonly waiting: Array<(s: Socket) => void> = [];

  private async listen(): Promise<{ server: Server; path: string }> {
    if (this.server && this.path) return { server: this.server, path: this.path };
    this.dir = await mkdtemp(join(tmpdir(), 'courier-ts-relay-'));
    const path = join(this.dir, 's');
    const server = createServer((s) => {
      const w = this.waiting.shift();
      if (w) w(s);
      else s.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve());
    });
    server.unref();
    this.server = server;
    this.path = path;
    return { server, path };
  }

  /** [parent end, end to hand to a worker]. */
  async pair(): Promise<[Socket, Socket]> {
    const { path } = await this.listen();
    const accepted = new Promise<Socket>((resolve) => this.waiting.push(resolve));
    const client = connect(path);
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    return [client, await accepted];
  }

  async close(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    // Not awaited: accepted ends handed to workers still count as this server's connections.
    s?.close();
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}
