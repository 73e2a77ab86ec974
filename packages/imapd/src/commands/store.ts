/** STORE and UID STORE. */
import { InvalidCommandError, RefusedError } from '../errors.js';
import { ArgReader } from '../protocol/arg-reader.js';
import type { SequenceSet } from '../protocol/sequence-set.js';
import { parseStoreAction, type StoreAction } from '../protocol/store-action.js';
import { type ImapCommand, ok } from '../session/command.js';
import { SELECTED } from '../session/state.js';
import { splitFlags } from './flags.js';

interface StoreInput {
  readonly set: SequenceSet;
  readonly action: StoreAction;
  readonly flags: readonly string[];
}

export const storeCommand = {
  name: 'STORE',
  uid: 'allowed',
  states: SELECTED,
  flags: { usesSequence: true },
  parse(args) {
    const r = new ArgReader(args);
    if (r.remaining < 3) throw new InvalidCommandError('STORE needs a set, an item and flags');
    const set = r.sequenceSet();
    const action = parseStoreAction(r.atom('store item'));
    const flags = r.storeFlags();
    r.end();
    return { set, action, flags };
  },
  async run(ctx, input) {
    const mb = ctx.mailbox();
    if (mb.readOnly) throw new RefusedError('Current box is selected READ-ONLY.');
    const { letters, keywords } = splitFlags(input.flags, mb.keywords);
    const { messages, invalid } = mb.resolve(input.set, ctx.uid);
    const kwBefore = [...mb.folder.keywordCounts.keys()].join(' ');
    const mode = input.action.mode;
    const kw = mb.keywords && (keywords.length > 0 || mode === 'set') ? keywords : undefined;
    const updated = messages.length > 0 ? await mb.folder.setFlags(messages, mode, letters, kw) : [];
    if (mb.keywords && kwBefore !== [...mb.folder.keywordCounts.keys()].join(' ')) {
      await ctx.untagged(mb.flagsLine());
      await ctx.untagged(mb.permanentFlagsLine());
    }
    if (!input.action.silent) {
      const lines: string[] = [];
      for (const m of updated) {
        const seq = mb.seqOf(m.uid);
        if (seq === 0) continue;
        lines.push(`* ${seq} FETCH (${ctx.uid ? `UID ${m.uid} ` : ''}FLAGS ${mb.flagsOf(m)})\r\n`);
      }
      if (lines.length > 0) await ctx.write(lines.join(''));
    }
    for (const n of invalid) await ctx.untagged(`NO Invalid message sequence number: ${n}`);
    return ok('STORE completed.');
  },
} satisfies ImapCommand<StoreInput>;
