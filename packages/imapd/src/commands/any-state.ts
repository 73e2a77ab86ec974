/** CAPABILITY, NOOP, LOGOUT, ID: valid in every state. */
import { ArgReader } from '../protocol/arg-reader.js';
import { type CommandContext, type ImapCommand, ok } from '../session/command.js';
import { TEXT } from '../session/error-reply.js';
import { ANY_STATE } from '../session/state.js';

function noArgs(args: ConstructorParameters<typeof ArgReader>[0]): void {
  new ArgReader(args).end();
}

/** Untagged updates at NOOP / CHECK: what other sessions and deliveries changed. */
export async function reportChanges(ctx: CommandContext): Promise<void> {
  if (ctx.state.kind !== 'selected') return;
  await ctx.state.mailbox.report((line) => ctx.untagged(line));
}

export const capabilityCommand = {
  name: 'CAPABILITY',
  states: ANY_STATE,
  parse: noArgs,
  async run(ctx) {
    await ctx.untagged(`CAPABILITY ${ctx.capabilities().join(' ')}`);
    return ok('CAPABILITY completed');
  },
} satisfies ImapCommand<void>;

export const noopCommand = {
  name: 'NOOP',
  states: ANY_STATE,
  flags: { reportsChanges: true },
  parse: noArgs,
  async run(ctx) {
    await reportChanges(ctx);
    return ok('NOOP completed');
  },
} satisfies ImapCommand<void>;

export const logoutCommand = {
  name: 'LOGOUT',
  states: ANY_STATE,
  parse: noArgs,
  async run(ctx) {
    await ctx.untagged(TEXT.bye);
    return { ...ok('LOGOUT completed'), end: true };
  },
} satisfies ImapCommand<void>;

/** RFC 2971 ID (beyond Courier): we take the client's list and say nothing about ourselves. */
export const idCommand = {
  name: 'ID',
  states: ANY_STATE,
  capabilities: ['ID'],
  parse(args) {
    const r = new ArgReader(args);
    const t = r.token('id list');
    if (!(t.type === 'list' || (t.type === 'atom' && t.value.toUpperCase() === 'NIL'))) r.list();
    r.end();
  },
  async run(ctx) {
    await ctx.untagged('ID NIL');
    return ok('ID completed');
  },
} satisfies ImapCommand<void>;

export const ANY_STATE_COMMANDS = [capabilityCommand, noopCommand, logoutCommand, idCommand] as const;
