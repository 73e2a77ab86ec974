/**
 * The byte side of a session: feeds the command parser from the client stream (with backpressure),
 * hands out parser events one at a time, and writes replies through a byte-counting writer.
 *
 * While a command runs, replies are gathered and go out together (one writev per command, or per
 * FLUSH_AT bytes): the client gets a command's whole answer in one segment, not one per line.
 * Gathered output is flushed before the session waits for client input (continuations, IDLE, SASL).
 */
import type { Duplex } from 'node:stream';
import { joinParts, ReplyWriter } from '@courier-ts/runtime';
import { CommandParser } from '../protocol/command-parser.js';
import type { ParserEvent } from '../protocol/parser-events.js';
import type { CommandParserOptions } from '../protocol/parser-options.js';

/** Unparsed input held before the socket is paused. */
const HIGH_WATER = 256 * 1024;
/** Gathered reply bytes sent at once (a large FETCH streams in pieces of about this size). */
const FLUSH_AT = 64 * 1024;
/** Gathered replies up to this size are joined into one buffer rather than corked. */
const SMALL_REPLY = 16 * 1024;
const LF = 0x0a;
const DONE: Promise<void> = Promise.resolve();

export interface ImapIoOptions {
  readonly parser: CommandParserOptions;
  /**
   * Feed the parser one line at a time, so that after any complete command no input sits inside
   * the parser: `detach()` can then hand the rest to another process (login hand-off, STARTTLS).
   */
  readonly lineMode: boolean;
  readonly initial?: Buffer;
}

export class ImapIo {
  readonly parser: CommandParser;
  stream: Duplex;
  writer: ReplyWriter;
  rcvd = 0;
  /** Bytes sent through writers replaced by replaceStream() (LOGOUT sent=). */
  private sentBefore = 0;
  private gathering = false;
  private out: Buffer[] = [];
  private outBytes = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private ended = false;
  private interrupted = false;
  private waiter: (() => void) | undefined;
  private readonly lineMode: boolean;
  private readonly onData = (chunk: Buffer): void => {
    this.rcvd += chunk.length;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes > HIGH_WATER) this.stream.pause();
    this.wake();
  };
  private readonly onEnd = (): void => {
    this.ended = true;
    this.wake();
  };

  constructor(stream: Duplex, options: ImapIoOptions) {
    this.parser = new CommandParser(options.parser);
    this.lineMode = options.lineMode;
    this.stream = stream;
    this.writer = new ReplyWriter(stream);
    if (options.initial && options.initial.length > 0) {
      this.pending.push(options.initial);
      this.pendingBytes = options.initial.length;
    }
    this.attach(stream);
  }

  private attach(stream: Duplex): void {
    stream.on('data', this.onData);
    stream.on('end', this.onEnd);
    stream.on('close', this.onEnd);
    stream.on('error', this.onEnd);
  }

  private detachListeners(): void {
    this.stream.off('data', this.onData);
    this.stream.off('end', this.onEnd);
    this.stream.off('close', this.onEnd);
    this.stream.off('error', this.onEnd);
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  /** Whether input is buffered beyond what the parser has consumed (a pipelining client). */
  hasPendingInput(): boolean {
    return this.pendingBytes > 0;
  }

  /** Stop reading: next() returns undefined (timeouts, shutdown). */
  interrupt(): void {
    this.interrupted = true;
    this.ended = true;
    this.wake();
  }

  /** The next parser event, or undefined at end of input. */
  async next(): Promise<ParserEvent | undefined> {
    for (;;) {
      const ev = this.parser.next();
      if (ev !== null) return ev;
      if (this.parser.dead || this.parser.awaitingLiteral) return undefined;
      if (this.pendingBytes > 0 && !this.interrupted) {
        this.feedOne();
        continue;
      }
      if (this.ended) return undefined;
      if (this.outBytes > 0) {
        // Replies the client waits for go out before we wait for it; input may arrive meanwhile.
        await this.flush();
        continue;
      }
      if (this.stream.isPaused()) this.stream.resume();
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
      });
    }
  }

  private feedOne(): void {
    const first = this.pending[0]!;
    let piece = first;
    if (this.lineMode) {
      const lf = first.indexOf(LF);
      if (lf !== -1 && lf < first.length - 1) {
        piece = first.subarray(0, lf + 1);
        this.pending[0] = first.subarray(lf + 1);
      } else {
        this.pending.shift();
      }
    } else {
      this.pending.shift();
    }
    this.pendingBytes -= piece.length;
    this.parser.feed(piece);
  }

  /** Stop reading and return the bytes not yet given to the parser (line mode: all unread input). */
  detach(): Buffer {
    void this.flush();
    this.gathering = false;
    this.detachListeners();
    this.stream.pause();
    const rest = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    return rest;
  }

  /** Continue on another stream (after the TLS handshake); input read so far is dropped. */
  replaceStream(stream: Duplex): void {
    this.out = [];
    this.outBytes = 0;
    this.sentBefore += this.writer.sent;
    this.stream = stream;
    this.writer = new ReplyWriter(stream);
    this.ended = false;
    this.interrupted = false;
    this.attach(stream);
  }

  get sent(): number {
    return this.sentBefore + this.writer.sent;
  }

  /** Strings go out as UTF-8 (mailbox names after ENABLE UTF8=ACCEPT); binary data as Buffers. */
  write(data: string | Buffer): Promise<void> {
    const b = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    if (!this.gathering) return this.writer.write(b);
    this.out.push(b);
    this.outBytes += b.length;
    return this.outBytes >= FLUSH_AT ? this.flush() : DONE;
  }

  /** From now on gather writes until endGathering() (a command's replies). */
  startGathering(): void {
    this.gathering = true;
  }

  /** Send what was gathered and write through again. */
  endGathering(): Promise<void> {
    this.gathering = false;
    return this.flush();
  }

  /**
   * Send the gathered bytes now (handed to the stream at once, in one writev when there are several
   * large pieces); resolves once the stream can take more.
   */
  flush(): Promise<void> {
    const parts = this.out;
    const n = this.outBytes;
    if (parts.length === 0) return DONE;
    this.out = [];
    this.outBytes = 0;
    return this.writer.writeMany(parts.length > 1 && n <= SMALL_REPLY ? [joinParts(parts, n)] : parts);
  }
}
