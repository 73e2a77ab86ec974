import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import type { Duplex } from 'node:stream';
import {
  Deadline,
  LineReader,
  ReplyWriter,
  type SessionContext,
  type SessionMain,
} from '@courier-ts/runtime';
import type { Logger } from 'pino';
import { parseCommandLine, parseMessageNumber } from '../protocol/command-line.js';
import { line, REPLY } from '../protocol/replies.js';
import { acctLine, loginLine } from './logout-line.js';
import { type SendResult, sendMessage } from './message-sender.js';
import { ReadAhead } from './read-ahead.js';
import type { CommandTable, OpenMaildrop, Pop3MaildropLike, Pop3SessionInit } from './types.js';

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

  constructor(
    init: Pop3SessionInit,
    maildrop: Pop3MaildropLike,
    writer: ReplyWriter,
    log: Logger,
    env: { pid: number; now: () => number },
  ) {
    this.init = init;
    this.maildrop = maildrop;
    this.writer = writer;
    this.log = log;
    this.utf8 = init.utf8;
    this.pid = env.pid;
    this.now = env.now;
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
    const msgs = this.maildrop.messages;
    const none = this.deleted.size === 0;
    let out = `${head}\r\n`;
    for (let i = 0; i < msgs.length; i++) {
      if (none || !this.deleted.has(i)) out += `${i + 1} ${item(msgs[i]!)}\r\n`;
    }
    const buf = Buffer.from(`${out}.\r\n`, 'latin1');
    this.listings.set(name, buf);
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
      (i) => this.readAhead.take(i),
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

export interface TransactionDeps {
  readonly commands: CommandTable<TransactionSession>;
  readonly openMaildrop: OpenMaildrop;
  readonly now?: () => number;
  readonly pid?: number;
}

type EndReason = 'LOGOUT' | 'DISCONNECTED' | 'TIMEOUT' | 'SHUTDOWN';

/**
 * The post-login POP3 session (courierpop3d): checks the account options, opens the maildrop,
 * greets, then runs TRANSACTION until QUIT (UPDATE) or the connection ends (nothing deleted).
 * Used unchanged in-process and in a per-uid worker.
 */
export function createTransactionMain(deps: TransactionDeps): SessionMain<Pop3SessionInit> {
  const now = deps.now ?? Date.now;
  return async (stream: Duplex, ctx: SessionContext<Pop3SessionInit>): Promise<void> => {
    const { init, log } = ctx;
    // The idle deadline also covers a command's output: it is pushed back while the client keeps
    // reading, and a client that stops reading in the middle of a RETR is dropped like an idle one.
    let idle: Deadline | undefined;
    const writer = new ReplyWriter(stream, { onProgress: () => idle?.reset() });
    let rcvd = 0;
    const finish = (reason: EndReason, s: TransactionSession | undefined): void => {
      const fields = {
        user: init.user,
        ip: init.remoteIp,
        port: init.remotePort,
        top: s?.topCount ?? 0,
        retr: s?.retrCount ?? 0,
        rcvd,
        sent: writer.sent,
        seconds: Math.floor((now() - init.startedAt) / 1000),
        tls: init.tls,
      };
      if (reason === 'SHUTDOWN') {
        log.info({ courierLevel: 'NOTICE' }, `Disconnected during shutdown by signal, user=${init.user}`);
      } else {
        log.info(acctLine(reason, fields));
      }
    };
    if (init.disablePop3) {
      await writer.write(line(REPLY.pop3Disabled));
      return;
    }
    if (init.disableInsecurePop3 && !init.tls) {
      await writer.write(line(REPLY.insecureDisabled));
      return;
    }
    log.info(loginLine(init.user, init.remoteIp, init.remotePort));
    let maildrop: Pop3MaildropLike;
    try {
      await access(init.maildir, constants.X_OK);
    } catch {
      // courierpop3d's chdir() failure, worded (and ended with a bare LF) as Courier does
      log.error({ maildir: init.maildir }, `chdir ${init.maildir} failed`);
      await writer.write(`-ERR chdir ${init.maildir} failed\n`);
      return;
    }
    try {
      maildrop = await deps.openMaildrop(init.maildir);
    } catch (err) {
      log.error({ err, maildir: init.maildir }, `cannot open maildir ${init.maildir}`);
      await writer.write(line(REPLY.maildirInvalid));
      return;
    }
    const session = new TransactionSession(init, maildrop, writer, log, {
      pid: deps.pid ?? process.pid,
      now,
    });
    await session.reply(init.greeting);
    const reader = new LineReader(
      stream,
      { maxLineLength: init.settings.maxLineLength, onBytes: (n) => (rcvd += n) },
      ctx.pending,
    );
    let reason: EndReason = 'DISCONNECTED';
    idle = new Deadline(init.settings.idleTimeoutMs, () => {
      reason = 'TIMEOUT';
      reader.detach();
      stream.destroy();
    });
    const onAbort = (): void => {
      reason = 'SHUTDOWN';
      reader.detach();
    };
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    let bad = 0;
    try {
      for (;;) {
        // Replies held back for pipelined commands go out before waiting for input.
        if (!reader.hasLine()) await writer.release();
        idle.reset();
        const r = await reader.next();
        if (r.kind === 'eof') break;
        if (r.kind === 'too-long') {
          await session.reply(REPLY.invalidCommand);
          continue;
        }
        const cmd = parseCommandLine(r.line);
        log.debug({ cmd: cmd.verb }, 'command');
        const handler = deps.commands.get(cmd.verb);
        if (!handler) {
          await session.reply(REPLY.invalidCommand);
          if (++bad >= init.settings.maxBadCommands && init.settings.maxBadCommands > 0) {
            await session.reply(REPLY.tooManyErrors);
            break;
          }
          continue;
        }
        bad = 0;
        // More commands waiting (pipelining): their replies leave together, in fewer writes.
        if (reader.hasLine()) writer.hold();
        const outcome = await handler.run(session, cmd);
        if (outcome === 'end') {
          reason = 'LOGOUT';
          break;
        }
        if (!writer.writable) break;
      }
    } finally {
      idle.clear();
      ctx.signal.removeEventListener('abort', onAbort);
      await session.end();
      await writer.release();
    }
    finish(reason, session);
    stream.end();
  };
}
