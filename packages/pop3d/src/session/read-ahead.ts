import type { Readable } from 'node:stream';
import type { Pop3MaildropLike } from './types.js';

/**
 * Messages up to this size are read whole (and read ahead whole: held in memory until asked for
 * or dropped); a larger one is a stream, read ahead only as far as its first chunk.
 */
const WHOLE_MAX = 1024 * 1024;
/**
 * How many of the following messages. One was the fastest here, for one-at-a-time and pipelining
 * clients alike (three: slower, more file reads competing with the writes for the thread pool).
 */
const READ_AHEAD_DEPTH = 1;

/** RETR's reply body read whole by the store (see Pop3MaildropLike.retrWhole). */
export type RetrWholeBody = NonNullable<Awaited<ReturnType<NonNullable<Pop3MaildropLike['retrWhole']>>>>;

/** A message body as the sender gets it: a stream, or RETR's whole reply body (undefined: open it). */
export type MessageBody = Readable | Promise<RetrWholeBody | undefined>;

/** What is held for a message read ahead: the whole reply body, else a stream (both RETR's form). */
type Ahead =
  | { readonly kind: 'whole'; readonly body: Promise<RetrWholeBody | undefined> }
  | { readonly kind: 'stream'; readonly stream: Readable };

/**
 * Clients fetch in order (RETR 1, RETR 2, ...), one at a time or pipelined: while message n is
 * written and the client asks for the next one, the next is already opened and read (the file
 * system round trips overlap the network's). A guess that misses costs one read and is dropped.
 */
export class ReadAhead {
  private readonly maildrop: Pop3MaildropLike;
  private readonly depth: number;
  private readonly ahead = new Map<number, Ahead>();

  constructor(maildrop: Pop3MaildropLike, depth = READ_AHEAD_DEPTH) {
    this.maildrop = maildrop;
    this.depth = depth;
  }

  /** RETR's body of message `index`, fresh: whole when the store offers it, else a stream. */
  private fresh(index: number): Ahead {
    if (this.maildrop.retrWhole && this.maildrop.messages[index]!.crlfSize <= WHOLE_MAX) {
      const body = this.maildrop.retrWhole(index);
      // A failure (the file went away) is seen again by take(): it opens the message afresh.
      body.catch(() => {});
      return { kind: 'whole', body };
    }
    return { kind: 'stream', stream: this.maildrop.open(index, { dotStuff: true }) };
  }

  /**
   * The body of message `index`: the one read ahead if still good, else a fresh one. Read-ahead
   * bodies are RETR's (`dotStuff`); a plain stream (TOP, wrapped messages) is always fresh.
   */
  take(index: number, dotStuff = false): MessageBody {
    const a = this.ahead.get(index);
    this.ahead.delete(index);
    if (a && dotStuff) {
      if (a.kind === 'whole') return a.body.catch(() => this.maildrop.retrWhole?.(index));
      if (!a.stream.destroyed && !a.stream.errored) return a.stream;
    }
    if (a?.kind === 'stream') a.stream.destroy();
    if (!dotStuff) return this.maildrop.open(index);
    const f = this.fresh(index);
    return f.kind === 'whole' ? f.body : f.stream;
  }

  /** Message `index` was sent: read the next ones ahead (unless deleted), drop guesses behind. */
  after(index: number, isDeleted: (i: number) => boolean): void {
    for (const [i, a] of this.ahead) {
      if (i <= index || i > index + this.depth) {
        if (a.kind === 'stream') a.stream.destroy();
        this.ahead.delete(i);
      }
    }
    const msgs = this.maildrop.messages;
    for (let i = index + 1; i <= index + this.depth && i < msgs.length; i++) {
      if (this.ahead.has(i) || isDeleted(i)) continue;
      let a: Ahead;
      try {
        a = this.fresh(i);
      } catch {
        continue;
      }
      if (a.kind === 'stream') {
        // An error (the file went away) is seen again by take(), which then opens it afresh.
        a.stream.on('error', () => {});
        a.stream.read(0);
      }
      this.ahead.set(i, a);
    }
  }

  /** Drop one guess (DELE). */
  drop(index: number): void {
    const a = this.ahead.get(index);
    if (a?.kind === 'stream') a.stream.destroy();
    this.ahead.delete(index);
  }

  close(): void {
    for (const a of this.ahead.values()) if (a.kind === 'stream') a.stream.destroy();
    this.ahead.clear();
  }
}
