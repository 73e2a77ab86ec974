import { Socket } from 'node:net';
import type { Writable } from 'node:stream';

/** Held replies are sent once they reach this size. */
const HOLD_MAX = 128 * 1024;

/** What a write that needs no waiting returns (a settled promise: no allocation per reply). */
const DONE: Promise<void> = Promise.resolve();

/**
 * A Buffer may carry, under this registry symbol, a function to call once the stream is done with
 * its bytes: maildir's reused read buffers (@courier-ts/maildir message/native.ts WRITTEN_HOOK).
 * Called only for a net.Socket (TLS included), whose write callback comes once the bytes were
 * handed to the kernel (or dropped with the socket); other streams may still hold a chunk when
 * they call back (Duplex.from), so their buffers are simply never given back.
 */
const WRITTEN: unique symbol = Symbol.for('courier-ts.written') as never;
type Hooked = Buffer & { [WRITTEN]?: () => void };

/**
 * The parts copied into one Buffer (a small reply then goes out in one piece); each part's WRITTEN
 * hook is called at once, as its own bytes are no longer needed.
 */
export function joinParts(parts: readonly Buffer[], n: number): Buffer {
  const joined = Buffer.concat(parts, n);
  for (const p of parts) (p as Hooked)[WRITTEN]?.();
  return joined;
}

/**
 * Backpressure-aware writer: each reply goes out in one write() call; when the kernel buffer is
 * full the caller awaits 'drain'. Counts bytes for the LOGOUT line.
 */
export class ReplyWriter {
  private readonly out: Writable;
  private sentBytes = 0;
  private broken = false;
  private held: Buffer[] | undefined;
  private heldBytes = 0;
  /** Whether written buffers' WRITTEN hooks are called (a net.Socket). */
  private readonly hooks: boolean;

  private readonly onProgress: (() => void) | undefined;

  /** `onProgress` is called whenever a full socket buffer drained (a slow reader is still reading). */
  constructor(out: Writable, options: { onProgress?: () => void } = {}) {
    this.out = out;
    this.hooks = out instanceof Socket;
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

  /**
   * Write one reply (a string is sent as latin1 bytes: the protocol is 8-bit clean). Resolves at
   * once unless the stream's buffer is full, then once it drained.
   */
  write(data: string | Buffer, options?: { count?: boolean }): Promise<void> {
    if (!this.writable) return DONE;
    // latin1: one byte per UTF-16 unit, so a string's length is its size on the wire.
    if (options?.count !== false) this.sentBytes += data.length;
    if (this.held) return this.keep(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
    // A string goes to the socket as it is (written as latin1 there, without a Buffer made here).
    const ok = typeof data === 'string' ? this.out.write(data, 'latin1') : this.put(data);
    return ok ? DONE : this.waitDrain();
  }

  /**
   * Write several buffers as one reply: corked, so they leave in one writev() without being
   * copied together first.
   */
  async writeMany(bufs: readonly Buffer[], options: { count?: boolean } = {}): Promise<void> {
    if (!this.writable) return;
    if (bufs.length === 1) return this.write(bufs[0]!, options);
    if (options.count !== false) for (const b of bufs) this.sentBytes += b.length;
    if (this.held) {
      for (const b of bufs) await this.keep(b);
      return;
    }
    await this.writeNow(bufs);
  }

  /**
   * Hold replies back (up to HOLD_MAX bytes) while the client has more commands waiting
   * (pipelining): they then leave in fewer, larger writes. release() sends what is held.
   */
  hold(): void {
    this.held ??= [];
  }

  /** Whether replies are being held back (see hold()). */
  get holding(): boolean {
    return this.held !== undefined;
  }

  /** Stop holding; send what was held. Call it before ending the stream. */
  release(): Promise<void> {
    const held = this.held;
    if (!held) return DONE;
    this.held = undefined;
    this.heldBytes = 0;
    return held.length > 0 && this.writable ? this.writeNow(held) : DONE;
  }

  private async keep(buf: Buffer): Promise<void> {
    this.held!.push(buf);
    this.heldBytes += buf.length;
    if (this.heldBytes < HOLD_MAX) return;
    const held = this.held!;
    this.held = [];
    this.heldBytes = 0;
    await this.writeNow(held);
  }

  private async writeNow(bufs: readonly Buffer[]): Promise<void> {
    let ok = true;
    this.out.cork();
    for (const b of bufs) ok = this.put(b);
    this.out.uncork();
    if (!ok) await this.waitDrain();
  }

  /** One buffer to the stream, with its WRITTEN hook (if any) called once the stream is done with it. */
  private put(b: Buffer): boolean {
    const hook = this.hooks ? (b as Hooked)[WRITTEN] : undefined;
    return hook ? this.out.write(b, hook) : this.out.write(b);
  }

  private async waitDrain(): Promise<void> {
    await this.drained();
    this.onProgress?.();
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
