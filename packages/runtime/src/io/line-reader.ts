import type { Readable } from 'node:stream';

export type LineResult =
  | { readonly kind: 'line'; readonly line: Buffer }
  | { readonly kind: 'too-long'; readonly length: number }
  | { readonly kind: 'eof' };

export interface LineReaderOptions {
  /** Longest line accepted, without its line ending (Courier: BUFSIZ - 2 = 8190). */
  readonly maxLineLength: number;
  /** Complete lines held unread before the socket is paused (bounds pipelined input). */
  readonly maxPipelined?: number;
  /** Called with the byte count of every chunk received (LOGOUT rcvd=). */
  readonly onBytes?: (n: number) => void;
}

const LF = 0x0a;
const CR = 0x0d;
const EMPTY: Buffer = Buffer.alloc(0);

/**
 * Bounded line reader over a byte stream. Lines end at LF (CRLF or bare LF); the CR is stripped.
 * A line longer than the limit is never held whole: the excess is dropped as it arrives and the
 * reader returns `too-long` once its end is seen. The stream is paused while enough lines wait.
 */
export class LineReader {
  private readonly stream: Readable;
  private readonly opts: LineReaderOptions;
  /**
   * Unread bytes: `head`, then the chunks in `more` (only while a line is cut across chunks). The
   * usual case (one command per packet) keeps no array, so nothing here changes shape from one
   * connection to the next.
   */
  private head: Buffer = EMPTY;
  private more: Buffer[] | undefined;
  private buffered = 0;
  /** Line ends (LF) unread, counted as chunks arrive: hasLine() is a comparison. */
  private lines = 0;
  private discarding = 0;
  private ended = false;
  private waiter: (() => void) | undefined;
  private detached = false;
  private readonly onData = (chunk: Buffer): void => this.push(chunk);
  private readonly onEnd = (): void => {
    this.ended = true;
    this.wake();
  };

  constructor(stream: Readable, options: LineReaderOptions, initial?: Buffer) {
    this.stream = stream;
    this.opts = options;
    if (initial && initial.length > 0) this.push(initial);
    stream.on('data', this.onData);
    stream.on('end', this.onEnd);
    stream.on('close', this.onEnd);
    stream.on('error', this.onEnd);
  }

  /** The next line, or `too-long`, or `eof` when the peer closed. */
  next(): Promise<LineResult> {
    // A pipelined line is answered without going through the wait loop.
    const r = this.lines > 0 ? this.take() : undefined;
    return r ? Promise.resolve(r) : this.wait();
  }

  private async wait(): Promise<LineResult> {
    for (;;) {
      const r = this.take();
      if (r) return r;
      if (this.ended || this.detached) return { kind: 'eof' };
      if (this.stream.isPaused()) this.stream.resume();
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
      });
    }
  }

  /** Whether unread bytes are already buffered (a pipelining client sent more). */
  hasBuffered(): boolean {
    return this.buffered > 0;
  }

  /** Whether a whole line is already buffered (the client pipelined another command). */
  hasLine(): boolean {
    return this.lines > 0;
  }

  /**
   * Stop reading and hand back the bytes received but not yet consumed, e.g. to pass a socket to
   * another process, or to check that nothing was pipelined before a TLS upgrade.
   */
  detach(): Buffer {
    this.detached = true;
    this.stream.off('data', this.onData);
    this.stream.off('end', this.onEnd);
    this.stream.off('close', this.onEnd);
    this.stream.off('error', this.onEnd);
    this.stream.pause();
    const rest = this.more ? Buffer.concat([this.head, ...this.more]) : this.head;
    this.head = EMPTY;
    this.more = undefined;
    this.buffered = 0;
    this.lines = 0;
    this.wake();
    return rest;
  }

  private push(chunk: Buffer): void {
    this.opts.onBytes?.(chunk.length);
    if (this.buffered === 0) this.head = chunk;
    else if (this.more) this.more.push(chunk);
    else this.more = [chunk];
    this.buffered += chunk.length;
    for (let i = chunk.indexOf(LF); i !== -1; i = chunk.indexOf(LF, i + 1)) this.lines++;
    if (this.lines >= (this.opts.maxPipelined ?? 64)) this.stream.pause();
    this.wake();
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  private take(): LineResult | undefined {
    if (this.buffered === 0) return undefined;
    const all = this.more ? Buffer.concat([this.head, ...this.more]) : this.head;
    this.more = undefined;
    const lf = all.indexOf(LF);
    const max = this.opts.maxLineLength;
    if (lf === -1) {
      // No line end yet: keep at most max+1 bytes (the +1 holds a possible CR), drop the rest.
      if (all.length > max + 1) {
        this.discarding += all.length;
        this.head = EMPTY;
        this.buffered = 0;
      } else {
        this.head = all;
      }
      return undefined;
    }
    this.lines--;
    const restLength = all.length - lf - 1;
    this.head = restLength > 0 ? all.subarray(lf + 1) : EMPTY;
    this.buffered = restLength;
    let end = lf;
    if (end > 0 && all[end - 1] === CR) end--;
    if (this.discarding > 0 || end > max) {
      const length = this.discarding + end;
      this.discarding = 0;
      return { kind: 'too-long', length };
    }
    // A chunk that ends with this line (one command per packet) is handed out as a view; a line cut
    // from a chunk with more after it is copied, so it does not keep the rest alive.
    const line = restLength === 0 ? all.subarray(0, end) : Buffer.from(all.subarray(0, end));
    return { kind: 'line', line };
  }
}
