/** The bytes of a streamed literal as an async iterable, pulled from the parser one chunk at a time. */
import type { ImapIo } from './io.js';

export class LiteralBody implements AsyncIterable<Buffer> {
  private done = false;
  private broken = false;
  readonly size: number;
  private readonly io: ImapIo;

  constructor(io: ImapIo, size: number) {
    this.io = io;
    this.size = size;
  }

  private async pull(): Promise<Buffer | undefined> {
    if (this.done || this.broken) return undefined;
    for (;;) {
      const ev = await this.io.next();
      if (ev === undefined) {
        this.broken = true;
        throw new Error('connection closed inside a literal');
      }
      if (ev.type === 'literal-data') return ev.chunk;
      if (ev.type === 'literal-end') {
        this.done = true;
        return undefined;
      }
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Buffer> {
    for (;;) {
      const chunk = await this.pull();
      if (chunk === undefined) return;
      yield chunk;
    }
  }

  /** Skip what the consumer did not read; false when the connection ended inside the literal. */
  async drain(): Promise<boolean> {
    try {
      while ((await this.pull()) !== undefined) {
        // discard
      }
    } catch {
      return false;
    }
    return !this.broken;
  }
}
