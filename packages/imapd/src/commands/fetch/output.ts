/**
 * Gathers FETCH output into few large writes, streaming big literals through. Text is kept as one
 * string until a buffer (a literal, an ENVELOPE) follows or the output is flushed, so a response
 * costs one string append per item rather than one Buffer per item.
 */
import type { CommandContext } from '../../session/command.js';

const FLUSH_AT = 64 * 1024;

export class FetchOutput {
  private parts: Buffer[] = [];
  private text = '';
  /** Bytes held (text counted in UTF-16 units: the text is ASCII but for UTF-8 mailbox names). */
  private bytes = 0;
  private readonly ctx: CommandContext;

  constructor(ctx: CommandContext) {
    this.ctx = ctx;
  }

  /** Enough is held for one large write. */
  get full(): boolean {
    return this.bytes >= FLUSH_AT;
  }

  push(data: Buffer | string): void {
    if (typeof data === 'string') {
      this.text += data;
      this.bytes += data.length;
      return;
    }
    this.endText();
    this.parts.push(data);
    this.bytes += data.length;
  }

  private endText(): void {
    if (this.text === '') return;
    this.parts.push(Buffer.from(this.text, 'utf8'));
    this.text = '';
  }

  async pipe(chunks: AsyncIterable<Buffer | Uint8Array>): Promise<number> {
    await this.flush();
    let n = 0;
    for await (const c of chunks) {
      const b = Buffer.isBuffer(c) ? c : Buffer.from(c.buffer, c.byteOffset, c.byteLength);
      n += b.length;
      await this.ctx.write(b);
    }
    return n;
  }

  async maybeFlush(): Promise<void> {
    if (this.full) await this.flush();
  }

  async flush(): Promise<void> {
    this.endText();
    if (this.parts.length === 0) return;
    const parts = this.parts;
    this.parts = [];
    this.bytes = 0;
    // The session gathers a command's writes and sends them together (one writev).
    for (const p of parts) await this.ctx.write(p);
  }
}
