import type { Writable } from 'node:stream';

/**
 * Backpressure-aware writer: each reply goes out in one write() call; when the kernel buffer is
 * full the caller awaits 'drain'. Counts bytes for the LOGOUT line.
 */
export class ReplyWriter {
  private readonly out: Writable;
  private sentBytes = 0;
  private broken = false;

  private readonly onProgress: (() => void) | undefined;

  /** `onProgress` is called whenever a full socket buffer drained (a slow reader is still reading). */
  constructor(out: Writable, options: { onProgress?: () => void } = {}) {
    this.out = out;
    this.onProgress = options.onProgress;
    out.on('error', () => {
      this.broken = true;
    });
    out.on('close', () => {
      this.broken = true;
    });
  }

  get sent(): number {
    return this.sentBytes;
  }

  /** False once the peer went away: callers stop producing output. */
  get writable(): boolean {
    return !this.broken && !this.out.destroyed && this.out.writable;
  }

  /** Write one reply (a string is sent as latin1 bytes: the protocol is 8-bit clean). */
  async write(data: string | Buffer, options: { count?: boolean } = {}): Promise<void> {
    if (!this.writable) return;
    const buf = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    if (options.count !== false) this.sentBytes += buf.length;
    if (!this.out.write(buf)) {
      await this.drained();
      this.onProgress?.();
    }
  }

  /** Resolves when the stream can take more (or went away). */
  drained(): Promise<void> {
    if (!this.writable || !this.out.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.out.off('drain', done);
        this.out.off('close', done);
        this.out.off('error', done);
        resolve();
      };
      this.out.on('drain', done);
      this.out.on('close', done);
      this.out.on('error', done);
    });
  }
}
