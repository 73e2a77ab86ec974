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
import { parseCommandLine } from '../protocol/command-line.js';
import { line, REPLY } from '../protocol/replies.js';
import { acctLine, loginLine } from './logout-line.js';
import { type SharedListings, TransactionSession } from './transaction-session.js';
import type { CommandTable, OpenMaildrop, Pop3MaildropLike, Pop3SessionInit } from './types.js';

export { TransactionSession };

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
  // LIST and UIDL replies of listings shared by this process's sessions (TransactionSession.listing).
  const sharedListings: SharedListings = new WeakMap();
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
      sharedListings,
    });
    await session.reply(init.greeting);
    const reader = new LineReader(
      stream,
      { maxLineLength: init.settings.maxLineLength, onBytes: (n) => (rcvd += n) },
      ctx.pending,
    );
    /** Why the session was stopped from outside, if it was. */
    let stopped: 'TIMEOUT' | 'SHUTDOWN' | undefined;
    idle = new Deadline(init.settings.idleTimeoutMs, () => {
      stopped = 'TIMEOUT';
      reader.detach();
      stream.destroy();
    });
    const onAbort = (): void => {
      stopped = 'SHUTDOWN';
      reader.detach();
    };
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    let ended: 'LOGOUT' | 'DISCONNECTED';
    try {
      ended = await commandLoop(session, reader, writer, idle, deps.commands, log.isLevelEnabled('debug'));
    } finally {
      idle.clear();
      ctx.signal.removeEventListener('abort', onAbort);
      await session.end();
      await writer.release();
    }
    finish(ended === 'LOGOUT' ? ended : (stopped ?? ended), session);
    stream.end();
  };
}

/**
 * TRANSACTION: commands until QUIT (`LOGOUT`), too many bad ones or the end of input
 * (`DISCONNECTED`). A function of its own, apart from the session set-up: the code compiled for it
 * in a spare worker's warm-up stays valid when the set-up meets a real session's logger.
 */
async function commandLoop(
  session: TransactionSession,
  reader: LineReader,
  writer: ReplyWriter,
  idle: Deadline,
  commands: CommandTable<TransactionSession>,
  trace: boolean,
): Promise<'LOGOUT' | 'DISCONNECTED'> {
  let bad = 0;
  const max = session.init.settings.maxBadCommands;
  for (;;) {
    // Replies held back for pipelined commands go out before waiting for input.
    if (writer.holding && !reader.hasLine()) await writer.release();
    idle.reset();
    const r = await reader.next();
    if (r.kind === 'eof') return 'DISCONNECTED';
    if (r.kind === 'too-long') {
      await session.reply(REPLY.invalidCommand);
      continue;
    }
    const cmd = parseCommandLine(r.line);
    // Decided once (`trace`): no log call (and no object for it) per command when debug is off.
    if (trace) session.log.debug({ cmd: cmd.verb }, 'command');
    const handler = commands.get(cmd.verb);
    if (!handler) {
      await session.reply(REPLY.invalidCommand);
      if (++bad >= max && max > 0) {
        await session.reply(REPLY.tooManyErrors);
        return 'DISCONNECTED';
      }
      continue;
    }
    bad = 0;
    // More commands waiting (pipelining): their replies leave together, in fewer writes.
    if (reader.hasLine()) writer.hold();
    if ((await handler.run(session, cmd)) === 'end') return 'LOGOUT';
    if (!writer.writable) return 'DISCONNECTED';
  }
}
