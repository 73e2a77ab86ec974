import type { ReplyWriter } from '@courier-ts/runtime';
import type { Logger } from 'pino';
import { parseMessageNumber } from '../protocol/command-line.js';
import { line, REPLY } from '../protocol/replies.js';
import { type SendResult, sendMessage } from './message-sender.js';
import { ReadAhead } from './read-ahead.js';
import type { Pop3MaildropLike, Pop3SessionInit } from './types.js';

/**
 * LIST and UIDL replies by the maildrop's `listingKey` (same key: same messages, sizes and UIDLs):
 * a session of an unchanged maildrop sends the one an earlier session made, without building it
 * again (10,000 lines cost milliseconds). Held weakly: gone with the listing.
 */
export type SharedListings = WeakMap<object, Map<string, Buffer>>;

/** The TRANSACTION-state session: what maildrop commands work with. */
export class TransactionSession {
  readonly init: Pop3SessionInit;
  readonly maildrop: Pop3MaildropLike;
  readonly writer: ReplyWriter;
  readonly log: Logger;
  readonly deleted = new Set<number>();
  utf8: boolean;
  topCount = 0;
  retrCount = 0;
  /** STAT's figures, kept up to date by DELE and RSET. */
  liveCount = 0;
  liveOctets = 0;
  /** LIST and UIDL replies, built once until the next DELE or RSET. */
  private readonly listings = new Map<string, Buffer>();
  private readonly seenPending = new Map<number, Promise<void>>();
  private readonly readAhead: ReadAhead;
  private readonly pid: number;
  private readonly now: () => number;
  private readonly shared: SharedListings | undefined;

  constructor(
    init: Pop3SessionInit,
    maildrop: Pop3MaildropLike,
    writer: ReplyWriter,
    log: Logger,
    env: { pid: number; now: () => number; sharedListings?: SharedListings },
  ) {
    this.init = init;
    this.maildrop = maildrop;
    this.writer = writer;
    this.log = log;
    this.utf8 = init.utf8;
    this.pid = env.pid;
    this.now = env.now;
    this.shared = env.sharedListings;
    this.readAhead = new ReadAhead(maildrop);
    this.undeleteAll();
  }

  /** DELE (index is live). */
  delete(index: number): void {
    this.deleted.add(index);
    this.liveCount--;
    this.liveOctets -= this.maildrop.messages[index]!.crlfSize;
    this.listings.clear();
    this.readAhead.drop(index);
  }

  /** RSET. */
  undeleteAll(): void {
    this.deleted.clear();
    this.listings.clear();
    let octets = 0;
    for (const m of this.maildrop.messages) octets += m.crlfSize;
    this.liveCount = this.maildrop.messages.length;
    this.liveOctets = octets;
  }

  /** A LIST/UIDL-style reply for every live message: `<n> <item>` lines, built once. */
  listing(
    name: string,
    head: string,
    item: (m: Pop3MaildropLike['messages'][number]) => string | number,
  ): Buffer {
    const cached = this.listings.get(name);
    if (cached) return cached;
    const none = this.deleted.size === 0;
    // Nothing deleted: the reply is the listing's own, maybe made by an earlier session.
    const key = none ? this.maildrop.listingKey : undefined;
    const common = key ? this.shared?.get(key) : undefined;
    const made = common?.get(name);
    if (made) {
      this.listings.set(name, made);
      return made;
    }
    const msgs = this.maildrop.messages;
    let out = `${head}\r\n`;
    for (let i = 0; i < msgs.length; i++) {
      if (none || !this.deleted.has(i)) out += `${i + 1} ${item(msgs[i]!)}\r\n`;
    }
    const buf = Buffer.from(`${out}.\r\n`, 'latin1');
    this.listings.set(name, buf);
    if (key && this.shared) {
      if (common) common.set(name, buf);
      else this.shared.set(key, new Map([[name, buf]]));
    }
    return buf;
  }

  reply(text: string): Promise<void> {
    return this.writer.write(line(text));
  }

  /** 0-based index of a live message, or undefined after replying `-ERR Invalid message number.` */
  async messageIndex(arg: string | undefined): Promise<number | undefined> {
    const n = parseMessageNumber(arg);
    if (n < 1 || n > this.maildrop.messages.length || this.deleted.has(n - 1)) {
      await this.reply(REPLY.invalidMessage);
      return undefined;
    }
    return n - 1;
  }

  /**
   * RETR's S-flag rename, started once the message is sent and finished in the background while
   * the client reads it; anything else that touches the same file waits for it.
   */
  markSeenLater(index: number): void {
    const p = this.maildrop
      .markSeen(index)
      .catch((err: unknown) => this.log.warn({ err }, 'cannot mark message seen'))
      .finally(() => {
        if (this.seenPending.get(index) === p) this.seenPending.delete(index);
      });
    this.seenPending.set(index, p);
  }

  /** Session end: drop what was read ahead, let the renames finish. */
  async end(): Promise<void> {
    this.readAhead.close();
    await this.settle();
  }

  /** Wait for the background renames (all of them, or the one of `index`). */
  async settle(index?: number): Promise<void> {
    if (index !== undefined) await this.seenPending.get(index);
    else while (this.seenPending.size > 0) await Promise.all(this.seenPending.values());
  }

  /** RETR (topLines undefined) or TOP. */
  async send(index: number, topLines?: number): Promise<SendResult> {
    await this.settle(index);
    const r = await sendMessage(
      this.maildrop,
      this.writer,
      {
        index,
        ...(topLines === undefined ? {} : { topLines }),
        wrapUnicode: !this.utf8,
        unicodeMessageType: this.init.settings.unicodeMessageType,
        pid: this.pid,
        now: this.now(),
      },
      (i, dotStuff) => this.readAhead.take(i, dotStuff),
    );
    if (r.kind === 'sent' && topLines === undefined) this.readAhead.after(index, (i) => this.deleted.has(i));
    if (r.kind === 'sent') {
      if (topLines === undefined) this.retrCount += r.consumed;
      else this.topCount += r.consumed;
    }
    return r;
  }

  /** UPDATE state: unlink the DELE'd messages. */
  async commit(): Promise<void> {
    await this.settle();
    const indexes = [...this.deleted].sort((a, b) => a - b);
    if (indexes.length === 0) return;
    if (this.init.settings.logDeletions) {
      for (const i of indexes) {
        this.log.info(
          `DELETED, user=${this.init.user}, ip=[${this.init.remoteIp}], filename=cur/${this.maildrop.messages[i]!.filename}`,
        );
      }
    }
    await this.maildrop.commitDeletes(indexes);
  }
}
