import { parseLineCount } from '../protocol/command-line.js';
import { line, multiline, REPLY, statReply } from '../protocol/replies.js';
import type { TransactionSession } from '../session/transaction.js';
import type { CommandOutcome, Pop3Command } from '../session/types.js';

type Cmd = Pop3Command<TransactionSession>;

const live = (s: TransactionSession): number[] => {
  const out: number[] = [];
  for (let i = 0; i < s.maildrop.messages.length; i++) if (!s.deleted.has(i)) out.push(i);
  return out;
};

const STAT = {
  name: 'STAT',
  async run(s) {
    let octets = 0;
    const idx = live(s);
    for (const i of idx) octets += s.maildrop.messages[i]!.crlfSize;
    await s.reply(statReply(idx.length, octets));
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
    const lines = live(s).map((i) => `${i + 1} ${s.maildrop.messages[i]!.crlfSize}`);
    await s.writer.write(multiline(REPLY.listHead, lines));
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
    const lines = live(s).map((i) => `${i + 1} ${s.maildrop.messages[i]!.uidl}`);
    await s.writer.write(multiline(REPLY.uidlHead, lines));
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
    if (r.kind === 'sent') {
      // Courier renames to add the S flag right after sending (not for TOP).
      await s.maildrop.markSeen(i).catch((err: unknown) => s.log.warn({ err }, 'cannot mark message seen'));
    }
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
    s.deleted.add(i);
    await s.reply(REPLY.deleted);
    return 'continue';
  },
} satisfies Cmd;

const RSET = {
  name: 'RSET',
  async run(s) {
    s.deleted.clear();
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
