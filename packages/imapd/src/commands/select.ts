/** SELECT, EXAMINE (one function, a read-only switch), CLOSE, UNSELECT. */
import { MaildirError } from '@courier-ts/maildir';
import { accessDenied, effectiveRights } from '../acl/enforce.js';
import { selectRightsDisplay } from '../acl/rights.js';
import { InvalidCommandError, RefusedError } from '../errors.js';
import { ArgReader } from '../protocol/arg-reader.js';
import { type CommandContext, type ImapCommand, ok } from '../session/command.js';
import { SelectedMailbox } from '../session/selected.js';
import { AUTHENTICATED, SELECTED } from '../session/state.js';
import { expungeOnClose } from './expunge.js';
import { decodeName, mailboxArg } from './names.js';

const NO_MAILBOX = 'Mailbox does not exist, or must be subscribed to.';

function parseSelect(args: ConstructorParameters<typeof ArgReader>[0]): string {
  const r = new ArgReader(args);
  const name = mailboxArg(r);
  if (name.includes('/')) throw new InvalidCommandError('bad mailbox name');
  r.end();
  return name;
}

async function openAndAnnounce(ctx: CommandContext, wire: string, readOnly: boolean) {
  // A failed SELECT leaves no mailbox selected (RFC 3501; Courier too).
  await ctx.deselect();
  const name = decodeName(ctx, wire);
  const user = ctx.user();
  if (name !== 'INBOX' && !(await user.maildir.folderExists(name).catch(() => false))) {
    throw new RefusedError(NO_MAILBOX);
  }
  const rights = await effectiveRights(user.maildir.path, name, user.name, true);
  if (!rights.includes('r')) throw accessDenied('SELECT/EXAMINE', wire, 'r');
  let folder: Awaited<ReturnType<ReturnType<CommandContext['user']>['maildir']['openFolder']>>;
  try {
    // Lazy details: sizes and dates are read when a command needs them (Folder.measure), so a
    // cold SELECT of a large folder reads no message file.
    folder = await ctx.user().maildir.openFolder(name, { readOnly, details: 'lazy' });
  } catch (err) {
    if (
      err instanceof MaildirError &&
      (err.code === 'NO_SUCH_FOLDER' || err.code === 'INVALID_FOLDER_NAME')
    ) {
      throw new RefusedError(NO_MAILBOX);
    }
    throw err;
  }
  const mb = new SelectedMailbox(folder, { keywords: ctx.settings.keywords, rights });
  ctx.select(mb);
  await ctx.untagged(mb.flagsLine());
  await ctx.untagged(mb.permanentFlagsLine());
  await ctx.untagged(`${mb.exists} EXISTS`);
  await ctx.untagged(`${mb.recent} RECENT`);
  await ctx.untagged(`OK [UIDVALIDITY ${folder.uidValidity}] Ok`);
  await ctx.untagged(`OK [MYRIGHTS "${selectRightsDisplay(rights)}"] ACL`);
  return readOnly ? ok('Ok', 'READ-ONLY') : ok('Ok', 'READ-WRITE');
}

export const selectCommand = {
  name: 'SELECT',
  states: AUTHENTICATED,
  parse: parseSelect,
  run: (ctx, name) => openAndAnnounce(ctx, name, false),
} satisfies ImapCommand<string>;

export const examineCommand = {
  name: 'EXAMINE',
  states: AUTHENTICATED,
  parse: parseSelect,
  run: (ctx, name) => openAndAnnounce(ctx, name, true),
} satisfies ImapCommand<string>;

export const closeCommand = {
  name: 'CLOSE',
  states: SELECTED,
  parse(args) {
    new ArgReader(args).end();
  },
  async run(ctx) {
    // Courier: without the `e` right CLOSE just closes; with IMAP_MOVE_EXPUNGE_TO_TRASH it moves.
    await expungeOnClose(ctx);
    await ctx.deselect();
    return ok('mailbox closed.');
  },
} satisfies ImapCommand<void>;

/** RFC 3691 (beyond Courier): leave the mailbox without expunging. */
export const unselectCommand = {
  name: 'UNSELECT',
  states: SELECTED,
  capabilities: ['UNSELECT'],
  parse(args) {
    new ArgReader(args).end();
  },
  async run(ctx) {
    await ctx.deselect();
    return ok('UNSELECT completed');
  },
} satisfies ImapCommand<void>;

export const SELECT_COMMANDS = [selectCommand, examineCommand, closeCommand, unselectCommand] as const;
