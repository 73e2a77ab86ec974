/**
 * CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE, NAMESPACE; with LIST, LSUB (list.ts) and STATUS
 * (status.ts), the mailbox family (courier-behaviour.md §4.3-4.4).
 */
import { MaildirError, normalizeFolderName } from '@courier-ts/maildir';
import { parentOf, requireRight } from '../acl/enforce.js';
import { InvalidCommandError, RefusedError } from '../errors.js';
import { ArgReader } from '../protocol/arg-reader.js';
import { type CommandContext, type ImapCommand, ok } from '../session/command.js';
import { AUTHENTICATED } from '../session/state.js';
import { listCommand, lsubCommand } from './list.js';
import { decodeName, mailboxArg, wireName } from './names.js';
import { statusCommand } from './status.js';

const NO_MAILBOX = 'Mailbox does not exist, or must be subscribed to.';

function oneName(args: ConstructorParameters<typeof ArgReader>[0]): string {
  const r = new ArgReader(args);
  const name = mailboxArg(r);
  r.end();
  return name;
}

/** `c` on the folder a new name goes under (Courier names it as sent: `CREATE on INBOX.f`). */
async function requireParentRight(ctx: CommandContext, name: string, wire: string, command: string) {
  const dot = wire.lastIndexOf('.');
  const shown = dot === -1 ? wire : wire.slice(0, dot);
  const { maildir, name: user } = ctx.user();
  const parent = parentOf(name);
  const exists = parent === 'INBOX' || (await maildir.folderExists(parent).catch(() => false));
  await requireRight(maildir, user, { name: parent, shown, exists }, command, 'c');
}

export const createCommand = {
  name: 'CREATE',
  states: AUTHENTICATED,
  parse: oneName,
  async run(ctx, wire) {
    const name = decodeName(ctx, wire);
    const echo = `"${wireName(ctx, name).replace(/["\\]/g, '\\$&')}" created.`;
    if (name === 'INBOX') throw new RefusedError('INBOX already exists!');
    if (name.endsWith('.')) {
      normalizeFolderName(name.slice(0, -1));
      return ok(echo);
    }
    await requireParentRight(ctx, name, wire, 'CREATE');
    try {
      await ctx.user().maildir.createFolder(name);
    } catch (err) {
      if (err instanceof MaildirError && err.code === 'INVALID_FOLDER_NAME') {
        if (/too long/.test(err.message)) throw new RefusedError('Cannot create this folder.');
        throw new RefusedError('Invalid mailbox name.');
      }
      throw err;
    }
    return ok(echo);
  },
} satisfies ImapCommand<string>;

export const deleteCommand = {
  name: 'DELETE',
  states: AUTHENTICATED,
  parse: oneName,
  async run(ctx, wire) {
    const name = decodeName(ctx, wire);
    if (name === 'INBOX') throw new RefusedError('Cannot delete this folder.');
    const md = ctx.user().maildir;
    if (!(await md.folderExists(name))) throw new RefusedError(NO_MAILBOX);
    await requireRight(md, ctx.user().name, { name, shown: wire, exists: true }, 'DELETE', 'x');
    if (ctx.state.kind === 'selected' && ctx.state.mailbox.folder.name === normalizeFolderName(name))
      await ctx.deselect();
    await md.deleteFolder(name);
    return ok('Folder deleted.');
  },
} satisfies ImapCommand<string>;

export const renameCommand = {
  name: 'RENAME',
  states: AUTHENTICATED,
  parse(args) {
    const r = new ArgReader(args);
    if (r.remaining < 2) throw new InvalidCommandError('RENAME needs two names');
    const from = r.mailbox();
    const to = r.mailbox();
    r.end();
    return { from, to };
  },
  async run(ctx, input) {
    const from = decodeName(ctx, input.from);
    const to = decodeName(ctx, input.to);
    if (from === 'INBOX') throw new RefusedError('INBOX rename not implemented.');
    const md = ctx.user().maildir;
    normalizeFolderName(to);
    if (await md.folderExists(to)) throw new RefusedError('RENAME failed: File exists');
    if (await md.folderExists(from)) {
      await requireRight(md, ctx.user().name, { name: from, shown: input.from, exists: true }, 'RENAME', 'x');
    }
    await requireParentRight(ctx, to, input.to, 'RENAME');
    try {
      await md.renameFolder(from, to);
    } catch (err) {
      // Courier: renaming a folder that does not exist is OK.
      if (!(err instanceof MaildirError && err.code === 'NO_SUCH_FOLDER')) throw err;
    }
    return ok('Folder renamed.');
  },
} satisfies ImapCommand<{ from: string; to: string }>;

function subscription(kind: 'SUBSCRIBE' | 'UNSUBSCRIBE') {
  return {
    name: kind,
    states: AUTHENTICATED,
    parse: oneName,
    async run(ctx, wire) {
      const name = decodeName(ctx, wire);
      const md = ctx.user().maildir;
      if (kind === 'SUBSCRIBE') await md.subscribe(name);
      else await md.unsubscribe(name);
      return ok(kind === 'SUBSCRIBE' ? 'Folder subscribed.' : 'Folder unsubscribed.');
    },
  } satisfies ImapCommand<string>;
}
export const subscribeCommand = subscription('SUBSCRIBE');
export const unsubscribeCommand = subscription('UNSUBSCRIBE');

export const namespaceCommand = {
  name: 'NAMESPACE',
  states: AUTHENTICATED,
  parse(args) {
    new ArgReader(args).end();
  },
  async run(ctx) {
    await ctx.untagged('NAMESPACE (("INBOX." ".")) NIL (("#shared." ".")("shared." "."))');
    return ok('NAMESPACE completed.');
  },
} satisfies ImapCommand<void>;

export const MAILBOX_COMMANDS = [
  createCommand,
  deleteCommand,
  renameCommand,
  subscribeCommand,
  unsubscribeCommand,
  listCommand,
  lsubCommand,
  namespaceCommand,
  statusCommand,
] as const;
