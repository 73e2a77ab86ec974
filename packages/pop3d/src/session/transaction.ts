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
import { TransactionSession } from './transaction-session.js';
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
    // Decided once: no log call (and no object for it) per command when debug is off.
    const trace = log.isLevelEnabled('debug');
    try {
      for (;;) {
        // Replies held back for pipelined commands go out before waiting for input.
        if (writer.holding && !reader.hasLine()) await writer.release();
        idle.reset();
        const r = await reader.next();
        if (r.kind === 'eof') break;
        if (r.kind === 'too-long') {
          await session.reply(REPLY.invalidCommand);
          continue;
        }
        const cmd = parseCommandLine(r.line);
        if (trace) log.debug({ cmd: cmd.verb }, 'command');
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
