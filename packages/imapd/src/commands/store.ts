/** STORE and UID STORE. */
import type { MaildirFlag, MessageInfo } from '@courier-ts/maildir';
import { allowedFlags } from '../acl/enforce.js';
import { InvalidCommandError, RefusedError } from '../errors.js';
import { ArgReader } from '../protocol/arg-reader.js';
import type { SequenceSet } from '../protocol/sequence-set.js';
import { parseStoreAction, type StoreAction } from '../protocol/store-action.js';
import { type ImapCommand, ok } from '../session/command.js';
import type { SelectedMailbox } from '../session/selected.js';
import { SELECTED } from '../session/state.js';
import { splitFlags } from './flags.js';

interface StoreInput {
  readonly set: SequenceSet;
  readonly action: StoreAction;
  readonly flags: readonly string[];
}

const ALL_FLAGS: readonly MaildirFlag[] = ['D', 'F', 'R', 'S', 'T'];

/**
 * Sets flags within the user's ACL rights, as Courier: flags the rights do not cover (\Seen `s`,
 * \Deleted `t`, others and keywords `w`) are silently left as they are, even by `FLAGS (...)`.
 */
async function setWithinRights(
  mb: SelectedMailbox,
  messages: readonly MessageInfo[],
  mode: StoreAction['mode'],
  letters: readonly MaildirFlag[],
  keywords: readonly string[] | undefined,
): Promise<readonly MessageInfo[]> {
  const allowed = allowedFlags(letters, mb.rights);
  const kw = mb.rights.includes('w') ? keywords : undefined;
  const fixed = ALL_FLAGS.filter((f) => allowedFlags([f], mb.rights).length === 0);
  if (mode !== 'set' || fixed.length === 0) return mb.folder.setFlags(messages, mode, allowed, kw);
  // Replacing: each message keeps its own value of the flags it may not change.
  const groups = new Map<string, MessageInfo[]>();
  for (const m of messages) {
    const kept = fixed.filter((f) => m.flags.has(f)).join('');
    groups.set(kept, [...(groups.get(kept) ?? []), m]);
  }
  const out: MessageInfo[] = [];
  for (const [kept, group] of groups) {
    out.push(
      ...(await mb.folder.setFlags(
        group,
        'set',
        [...allowed, ...(kept as string).split('')] as MaildirFlag[],
        kw,
      )),
    );
  }
  return out.sort((a, b) => a.uid - b.uid);
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
    const mode = input.action.mode;
    const kw = mb.keywords && (keywords.length > 0 || mode === 'set') ? keywords : undefined;
    // Keywords untouched (kw undefined): the folder's keyword list stays as it is, so it is not
    // counted (a pass over every message) before and after.
    const kwBefore = kw !== undefined ? [...mb.folder.keywordCounts.keys()] : [];
    const updated = messages.length > 0 ? await setWithinRights(mb, messages, mode, letters, kw) : [];
    const kwAfter = kw !== undefined ? [...mb.folder.keywordCounts.keys()] : kwBefore;
    // Without `w` Courier still announces the new keywords it then drops (and their removal).
    const known = (k: string) => kwBefore.some((b) => b.toLowerCase() === k.toLowerCase());
    const refused = kw !== undefined && !mb.rights.includes('w') ? kw.filter((k) => !known(k)) : [];
    const vanishedKw = kwBefore.filter((k) => !kwAfter.includes(k));
    const added = refused.length > 0 || kwAfter.some((k) => !kwBefore.includes(k));
    const vanished = refused.length > 0 || vanishedKw.length > 0;
    // Courier: new keywords are announced before the FETCHes (the list then still holds the ones
    // about to vanish), vanished ones after them.
    if (mb.keywords && added) {
      const union = [...refused, ...kwAfter, ...vanishedKw];
      await ctx.untagged(mb.flagsLine(union));
      await ctx.untagged(mb.permanentFlagsLine(union));
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
    if (mb.keywords && vanished) {
      await ctx.untagged(mb.flagsLine());
      await ctx.untagged(mb.permanentFlagsLine());
    }
    for (const n of invalid) await ctx.untagged(`NO Invalid message sequence number: ${n}`);
    return ok('STORE completed.');
  },
} satisfies ImapCommand<StoreInput>;
