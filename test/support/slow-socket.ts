// A raw client socket read only when asked: `slow` reads a few KiB per event-loop turn, so that a
// server's socket buffer fills and its replies queue (the streaming tests of pop3d and imapd).
import { once } from 'node:events';
import { Socket } from 'node:net';

export class SlowSocket {
  private buf = Buffer.alloc(0);

  private constructor(private readonly sock: Socket) {}

  static async connect(port: number): Promise<SlowSocket> {
    const sock = new Socket();
    sock.connect(port, '127.0.0.1');
    await once(sock, 'connect');
    sock.pause();
    return new SlowSocket(sock);
  }

  /** Some more bytes into the buffer (or a wait for them). */
  private async more(slow: boolean): Promise<void> {
    const c = (slow ? (this.sock.read(4096) ?? this.sock.read()) : this.sock.read()) as Buffer | null;
    if (c === null) {
      if (this.sock.destroyed || this.sock.readableEnded) throw new Error('connection closed');
      await once(this.sock, 'readable');
      return;
    }
    this.buf = Buffer.concat([this.buf, c]);
    if (slow) await new Promise((r) => setImmediate(r));
  }

  /** The next `n` bytes (a copy). */
  async read(n: number, slow: boolean): Promise<Buffer> {
    while (this.buf.length < n) await this.more(slow);
    const out = Buffer.from(this.buf.subarray(0, n));
    this.buf = this.buf.subarray(n);
    return out;
  }

  /** The next line, CRLF included (latin1). */
  async line(slow = false): Promise<string> {
    for (;;) {
      const i = this.buf.indexOf('\r\n');
      if (i >= 0) return (await this.read(i + 2, false)).toString('latin1');
      await this.more(slow);
    }
  }

  send(text: string): void {
    this.sock.write(text);
  }

  destroy(): void {
    this.sock.destroy();
  }
}
