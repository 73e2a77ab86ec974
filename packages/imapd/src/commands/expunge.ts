/** CHECK, EXPUNGE, UID EXPUNGE (UIDPLUS). */
import { accessDenied } from '../acl/enforce.js';
import { RefusedError } from '../errors.js';
import { ArgReader } from '../protocol/arg-reader.js';
import type { SequenceSet } from '../protocol/sequence-set.js';
import { type CommandContext, type ImapCommand, ok } from '../session/command.js';
import { SELECTED } from '../session/state.js';
import { reportChanges } from './any-state.js';

export const checkCommand = {
  name: 'CHECK',
  states: SELECTED,
  flags: { reportsChanges: true },
  parse(args) {
    new ArgReader(args).end();
  },
  async run(ctx) {
    await reportChanges(ctx);
    return ok('CHECK completed');
  },
} satisfies ImapCommand<void>;

async function expungeDeleted(ctx: CommandContext, set: SequenceSet | undefined) {
  const mb = ctx.mailbox();
  if (mb.readOnly) throw new RefusedError('Cannot expunge read-only mailbox.');
  if (!mb.rights.includes('e')) throw accessDenied('EXPUNGE', 'current mailbox', 'e');
  const scope = set === undefined ? mb.messages : mb.resolve(set, true).messages;
  const deleted = scope.filter((m) => m.flags.has('T'));
  const write = (l: string) => ctx.untagged(l);
  const removed = await mb.expunge(deleted, write, { counts: false });
  await mb.report(write, { counts: removed > 0 });
  return ok('EXPUNGE completed');
}

export const expungeCommand = {
  name: 'EXPUNGE',
  uid: 'allowed',
  states: SELECTED,
  flags: { reportsChanges: true },
  parse(args, cmd) {
    const r = new ArgReader(args);
    const set = cmd.uid ? r.sequenceSet() : undefined;
    r.end();
    return set;
  },
  run: (ctx, set) => expungeDeleted(ctx, set),
} satisfies ImapCommand<SequenceSet | undefined>;

export const EXPUNGE_COMMANDS = [checkCommand, expungeCommand] as const;
