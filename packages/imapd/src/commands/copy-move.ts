/** COPY / UID COPY (COPYUID) and MOVE / UID MOVE (RFC 6851, beyond Courier). */
import { type CopyResult, MaildirError } from '@courier-ts/maildir';
import { accessDenied, requireRight } from '../acl/enforce.js';
import { InvalidCommandError, RefusedError } from '../errors.js';
import { ArgReader } from '../protocol/arg-reader.js';
import { formatSequenceSet, type SequenceSet } from '../protocol/sequence-set.js';
import { type CommandContext, type ImapCommand, ok } from '../session/command.js';
import type { SelectedMailbox } from '../session/selected.js';
import { SELECTED } from '../session/state.js';
import { decodeName } from './names.js';

/**
 * UIDs each selected mailbox (one per SELECT, so per session) has copied somewhere: Courier's
 * `copiedflag`, which makes IMAP_MOVE_EXPUNGE_TO_TRASH unlink such a message instead of moving a
 * second copy into the trash. A side table keyed by the SelectedMailbox object (entries go with it),
 * kept here because SelectedMailbox (session/) has no slot for it yet.
 */
const COPIED = new WeakMap<SelectedMailbox, Set<number>>();

/** The UIDs of `mb` copied by COPY / MOVE since it was selected. */
export function copiedInSession(mb: SelectedMailbox): ReadonlySet<number> {
  return COPIED.get(mb) ?? new Set();
}

function markCopied(mb: SelectedMailbox, uids: readonly number[]): void {
  let set = COPIED.get(mb);
  if (!set) {
    set = new Set();
    COPIED.set(mb, set);
  }
  for (const u of uids) set.add(u);
}

interface CopyInput {
  readonly set: SequenceSet;
  readonly mailbox: string;
}

function parseCopy(args: ConstructorParameters<typeof ArgReader>[0]): CopyInput {
  const r = new ArgReader(args);
  if (r.remaining < 2) throw new InvalidCommandError('COPY needs a set and a mailbox');
  const set = r.sequenceSet();
  const mailbox = r.mailbox();
  r.end();
  return { set, mailbox };
}

function copyUid(r: CopyResult): string | undefined {
  if (r.sourceUids.length === 0) return undefined;
  return `COPYUID ${r.uidValidity} ${formatSequenceSet(r.sourceUids)} ${formatSequenceSet(r.destUids)}`;
}

async function transfer(ctx: CommandContext, input: CopyInput, move: boolean) {
  const mb = ctx.mailbox();
  const dest = decodeName(ctx, input.mailbox);
  const { messages, invalid } = mb.resolve(input.set, ctx.uid);
  for (const n of invalid) await ctx.untagged(`NO Invalid message sequence number: ${n}`);
  if (move && mb.readOnly) throw new RefusedError('Current box is selected READ-ONLY.');
  const user = ctx.user();
  if (await user.maildir.folderExists(dest).catch(() => false)) {
    const target = { name: dest, shown: input.mailbox, exists: true };
    await requireRight(user.maildir, user.name, target, move ? 'MOVE' : 'COPY', 'i');
  }
  if (move && !mb.rights.includes('e')) throw accessDenied('MOVE', 'current mailbox', 'e');
  let result: CopyResult;
  try {
    result = await mb.folder.copyTo(await mb.folder.measure(messages), dest);
  } catch (err) {
    if (
      err instanceof MaildirError &&
      (err.code === 'NO_SUCH_FOLDER' || err.code === 'INVALID_FOLDER_NAME')
    ) {
      throw new RefusedError('Mailbox does not exist.', { code: 'TRYCREATE' });
    }
    throw err;
  }
  markCopied(mb, result.sourceUids);
  const code = copyUid(result);
  if (!move) return ok('COPY completed.', code);
  if (code !== undefined) await ctx.untagged(`OK [${code}] Moved`);
  const moved = new Set(result.sourceUids);
  await mb.expunge(
    messages.filter((m) => moved.has(m.uid)),
    (l) => ctx.untagged(l),
    { counts: false },
  );
  return ok('MOVE completed.');
}

export const copyCommand = {
  name: 'COPY',
  uid: 'allowed',
  states: SELECTED,
  flags: { usesSequence: true },
  parse: parseCopy,
  run: (ctx, input) => transfer(ctx, input, false),
} satisfies ImapCommand<CopyInput>;

export const moveCommand = {
  name: 'MOVE',
  uid: 'allowed',
  states: SELECTED,
  capabilities: ['MOVE'],
  flags: { usesSequence: true, reportsChanges: true },
  parse: parseCopy,
  run: (ctx, input) => transfer(ctx, input, true),
} satisfies ImapCommand<CopyInput>;
