/** Batches FETCH output into few large writes (no small-write stalls), streaming big literals through. */
import type { CommandContext } from '../../session/command.js';

const FLUSH_AT = 64 * 1024;

export class FetchOutput {
  private parts: Buffer[] = [];
  private bytes = 0;
  private readonly ctx: CommandContext;

  constructor(ctx: CommandContext) {
    this.ctx = ctx;
  }

  push(data: Buffer | string): void {
    const b = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    this.parts.push(b);
    this.bytes += b.length;
  }

  async pipe(chunks: AsyncIterable<Buffer | Uint8Array>): Promise<number> {
    await this.flush();
    let n = 0;
    for await (const c of chunks) {
      const b = Buffer.isBuffer(c) ? c : Buffer.from(c);
      n += b.length;
      await this.ctx.write(b);
    }
    return n;
  }

  async maybeFlush(): Promise<void> {
    if (this.bytes >= FLUSH_AT) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const all = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.bytes);
    this.parts = [];
    this.bytes = 0;
    await this.ctx.write(all);
  }
}
