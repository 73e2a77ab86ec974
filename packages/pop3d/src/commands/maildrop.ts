import { parseLineCount } from '../protocol/command-line.js';
import { line, multiline, REPLY, statReply } from '../protocol/replies.js';
import type { TransactionSession } from '../session/transaction.js';
import type { CommandOutcome, Pop3Command } from '../session/types.js';

type Cmd = Pop3Command<TransactionSession>;

const STAT = {
  name: 'STAT',
  async run(s) {
    await s.reply(statReply(s.liveCount, s.liveOctets));
    return 'continue';
  },
} satisfies Cmd;

const LIST = {
  name: 'LIST',
  async run(s, cmd) {
    if (cmd.args.length > 0) {
      const i = await s.messageIndex(cmd.args[0]);
      if (i !== undefined) await s.reply(`+OK ${i + 1} ${s.maildrop.messages[i]!.crlfSize}`);
      return 'continue';
    }
    await s.writer.write(s.listing('list', REPLY.listHead, (m) => m.crlfSize));
    return 'continue';
  },
} satisfies Cmd;

const UIDL = {
  name: 'UIDL',
  async run(s, cmd) {
    if (cmd.args.length > 0) {
      const i = await s.messageIndex(cmd.args[0]);
      if (i !== undefined) await s.reply(`+OK ${i + 1} ${s.maildrop.messages[i]!.uidl}`);
      return 'continue';
    }
    await s.writer.write(s.listing('uidl', REPLY.uidlHead, (m) => m.uidl));
    return 'continue';
  },
} satisfies Cmd;

async function afterSend(
  s: TransactionSession,
  r: Awaited<ReturnType<TransactionSession['send']>>,
): Promise<CommandOutcome> {
  if (r.kind === 'io-error') {
    s.log.error({ err: r.error }, 'I/O error while reading message file');
    return 'end';
  }
  return 'continue';
}

const RETR = {
  name: 'RETR',
  async run(s, cmd) {
    const i = await s.messageIndex(cmd.args[0]);
    if (i === undefined) return 'continue';
    const r = await s.send(i);
    // Courier renames to add the S flag right after sending (not for TOP).
    if (r.kind === 'sent') s.markSeenLater(i);
    return afterSend(s, r);
  },
} satisfies Cmd;

const TOP = {
  name: 'TOP',
  async run(s, cmd) {
    const i = await s.messageIndex(cmd.args[0]);
    if (i === undefined) return 'continue';
    if (cmd.args.length < 2) {
      await s.reply(REPLY.invalidCommand);
      return 'continue';
    }
    return afterSend(s, await s.send(i, parseLineCount(cmd.args[1]!)));
  },
} satisfies Cmd;

const DELE = {
  name: 'DELE',
  async run(s, cmd) {
    const i = await s.messageIndex(cmd.args[0]);
    if (i === undefined) return 'continue';
    s.delete(i);
    await s.reply(REPLY.deleted);
    return 'continue';
  },
} satisfies Cmd;

const RSET = {
  name: 'RSET',
  async run(s) {
    s.undeleteAll();
    await s.reply(REPLY.resurrected);
    return 'continue';
  },
} satisfies Cmd;

const NOOP = {
  name: 'NOOP',
  async run(s) {
    await s.reply(REPLY.noop);
    return 'continue';
  },
} satisfies Cmd;

const CAPA = {
  name: 'CAPA',
  async run(s) {
    // courierpop3d's pop3dcapa() bypasses its byte counter: CAPA is not in the LOGOUT line's sent=.
    await s.writer.write(multiline(REPLY.capaHead, s.init.capa), { count: false });
    return 'continue';
  },
} satisfies Cmd;

const UTF8 = {
  name: 'UTF8',
  async run(s) {
    s.utf8 = true;
    await s.reply(REPLY.utf8);
    return 'continue';
  },
} satisfies Cmd;

const QUIT = {
  name: 'QUIT',
  async run(s) {
    // UPDATE state: deletions are applied now, and only now; then the goodbye.
    try {
      await s.commit();
    } catch (err) {
      s.log.error({ err }, 'cannot delete messages at QUIT');
      await s.writer.write(line('-ERR Some deleted messages not removed'));
      return 'end';
    }
    await s.reply(REPLY.bye);
    return 'end';
  },
} satisfies Cmd;

/** TRANSACTION-state commands (STAT LIST UIDL RETR TOP DELE RSET NOOP QUIT, plus CAPA and UTF8). */
export const MAILDROP_COMMANDS: readonly Cmd[] = [
  STAT,
  LIST,
  UIDL,
  RETR,
  TOP,
  DELE,
  RSET,
  NOOP,
  CAPA,
  UTF8,
  QUIT,
];
