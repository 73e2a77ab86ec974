import type { Readable } from 'node:stream';
import type { Pop3MaildropLike } from './types.js';

/** Messages up to this size are read ahead (held in memory until asked for or dropped). */
const READ_AHEAD_MAX = 256 * 1024;
/**
 * How many of the following messages. One was the fastest here, for one-at-a-time and pipelining
 * clients alike (three: slower, more file reads competing with the writes for the thread pool).
 */
const READ_AHEAD_DEPTH = 1;

/**
 * Clients fetch in order (RETR 1, RETR 2, ...), one at a time or pipelined: while message n is
 * written and the client asks for the next one, the next is already opened and read (the file
 * system round trips overlap the network's). A guess that misses costs one read and is dropped.
 */
export class ReadAhead {
  private readonly maildrop: Pop3MaildropLike;
  private readonly depth: number;
  private readonly ahead = new Map<number, Readable>();

  constructor(maildrop: Pop3MaildropLike, depth = READ_AHEAD_DEPTH) {
    this.maildrop = maildrop;
    this.depth = depth;
  }

  /** The stream of message `index`: the one read ahead if still good, else a fresh one. */
  take(index: number): Readable {
    const s = this.ahead.get(index);
    this.ahead.delete(index);
    if (s && !s.destroyed && !s.errored) return s;
    s?.destroy();
    return this.maildrop.open(index);
  }

  /** Message `index` was sent: read the next ones ahead (unless deleted), drop guesses behind. */
  after(index: number, isDeleted: (i: number) => boolean): void {
    for (const [i, s] of this.ahead) {
      if (i <= index || i > index + this.depth) {
        s.destroy();
        this.ahead.delete(i);
      }
    }
    const msgs = this.maildrop.messages;
    for (let i = index + 1; i <= index + this.depth && i < msgs.length; i++) {
      if (this.ahead.has(i) || isDeleted(i) || msgs[i]!.crlfSize > READ_AHEAD_MAX) continue;
      let s: Readable;
      try {
        s = this.maildrop.open(i);
      } catch {
        continue;
      }
      // An error (the file went away) is seen again by take(), which then opens it afresh.
      s.on('error', () => {});
      s.read(0);
      this.ahead.set(i, s);
    }
  }

  /** Drop one guess (DELE). */
  drop(index: number): void {
    this.ahead.get(index)?.destroy();
    this.ahead.delete(index);
  }

  close(): void {
    for (const s of this.ahead.values()) s.destroy();
    this.ahead.clear();
  }
}
