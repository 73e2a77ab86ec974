/** CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE, LIST, LSUB, NAMESPACE, STATUS (courier-behaviour.md §4.3-4.4). */
import {
  type FolderListEntry,
  type FolderStatus,
  MaildirError,
  normalizeFolderName,
} from '@courier-ts/maildir';
import type { AclSource } from '../acl/acl-store.js';
import { accessDenied, effectiveRights, parentOf, requireRight } from '../acl/enforce.js';
import { visibleFolders } from '../acl/visible-folders.js';
import { InvalidCommandError, RefusedError } from '../errors.js';
import { ArgReader } from '../protocol/arg-reader.js';
import { type CommandContext, type ImapCommand, ok } from '../session/command.js';
import type { MemoView } from '../session/mailbox-memo.js';
import { AUTHENTICATED, type UserSpace } from '../session/state.js';
import { canonicalInbox, listMatcher } from './list-pattern.js';
import { decodeName, mailboxArg, quotedName, wireName } from './names.js';

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

interface ListInput {
  readonly reference: string;
  readonly pattern: string;
}

function parseList(args: ConstructorParameters<typeof ArgReader>[0]): ListInput {
  const r = new ArgReader(args);
  if (r.peek()?.type === 'list') r.token(); // LIST (SUBSCRIBED) ...: Courier ignores the options
  if (r.remaining < 2) throw new InvalidCommandError('LIST needs a reference and a pattern');
  const reference = r.listMailbox();
  const pattern = r.listMailbox();
  r.end();
  return { reference, pattern };
}

/** `\Marked` / `\Unmarked` (Courier: INBOX, or every folder with IMAP_CHECK_ALL_FOLDERS), else none. */
async function markedAttribute(
  ctx: CommandContext,
  e: FolderListEntry | undefined,
  name: string,
  reads?: MemoView,
) {
  if (name !== 'INBOX' && !ctx.settings.checkAllFolders) return undefined;
  const marked = e && name === 'INBOX' && reads ? await reads.inboxHasNewMail(e) : await e?.hasNewMail();
  return marked ? '\\Marked' : '\\Unmarked';
}

/** What LIST and STATUS read: through the process's memo when there is one (one turn of the loop). */
async function mailboxReads(user: UserSpace): Promise<MemoView | undefined> {
  return user.memo?.view();
}

/** Where ACLs are read: the memo when there is one. */
function aclReads(user: UserSpace, reads: MemoView | undefined): AclSource {
  return reads ? { path: user.maildir.path, readAcl: (name) => reads.readAcl(name) } : user.maildir;
}

/**
 * LIST / LSUB attributes in Courier's order (\Noselect \Unmarked \Marked \HasNoChildren
 * \Noinferiors \HasChildren); IMAP_OBSOLETE_CLIENT: \Noinferiors for \HasNoChildren, no \HasChildren.
 */
function attributes(
  ctx: CommandContext,
  f: { readonly noselect: boolean; readonly hasChildren: boolean },
  marked: string | undefined,
): string {
  const a: string[] = [];
  if (f.noselect) a.push('\\Noselect');
  if (marked !== undefined) a.push(marked);
  const obsolete = ctx.settings.obsoleteClient;
  if (!f.hasChildren) a.push(obsolete ? '\\Noinferiors' : '\\HasNoChildren');
  else if (!obsolete) a.push('\\HasChildren');
  return `(${a.join(' ')})`;
}

function matcher(ctx: CommandContext, input: ListInput): RegExp {
  return listMatcher(decodeName(ctx, input.reference), decodeName(ctx, input.pattern));
}

export const listCommand = {
  name: 'LIST',
  states: AUTHENTICATED,
  parse: parseList,
  async run(ctx, input) {
    if (input.pattern === '') {
      await ctx.untagged('LIST (\\Noselect) "." ""');
      return ok('LIST completed');
    }
    const re = matcher(ctx, input);
    const space = ctx.user();
    const reads = await mailboxReads(space);
    const acls = aclReads(space, reads);
    const rightsOf = (folder: string) => effectiveRights(acls, folder, space.name);
    const folders = await (reads ?? space.maildir).listFolders();
    for (const e of await visibleFolders(folders, rightsOf)) {
      if (!re.test(canonicalInbox(e.name))) continue;
      const marked = e.noselect ? undefined : await markedAttribute(ctx, e, e.name, reads);
      await ctx.untagged(`LIST ${attributes(ctx, e, marked)} "." ${quotedName(ctx, e.name)}`);
    }
    return ok('LIST completed');
  },
} satisfies ImapCommand<ListInput>;

/**
 * LSUB as Courier computes it: over the subscription list alone (names need not exist), each
 * subscribed name with \HasChildren / \HasNoChildren from that list, then the unsubscribed
 * parents of subscribed names as `\Noselect \HasChildren`.
 */
export const lsubCommand = {
  name: 'LSUB',
  states: AUTHENTICATED,
  parse: parseList,
  async run(ctx, input) {
    const re = matcher(ctx, input);
    const { maildir } = ctx.user();
    const subs = (await maildir.subscriptions()).map(canonicalInbox);
    // Courier reads the ACL of each subscribed name (saving inherited ones, as every ACL read does).
    for (const name of subs) await maildir.readAcl(name).catch(() => {});
    const subscribed = new Set(subs);
    const parents = new Set<string>();
    for (const name of subs) {
      const parts = name.split('.');
      for (let i = 1; i < parts.length; i++) parents.add(parts.slice(0, i).join('.'));
    }
    const wantsMarks = ctx.settings.checkAllFolders || subs.some((n) => n === 'INBOX' && re.test(n));
    const folders = wantsMarks ? new Map((await maildir.listFolders()).map((e) => [e.name, e])) : undefined;
    const lines: string[] = [];
    for (const name of subs) {
      if (!re.test(name)) continue;
      const marked = await markedAttribute(ctx, folders?.get(name), name);
      const attrs = attributes(ctx, { noselect: false, hasChildren: parents.has(name) }, marked);
      lines.push(`LSUB ${attrs} "." ${quotedName(ctx, name)}`);
    }
    for (const name of parents) {
      if (subscribed.has(name) || !re.test(name)) continue;
      lines.push(
        `LSUB ${attributes(ctx, { noselect: true, hasChildren: true }, undefined)} "." ${quotedName(ctx, name)}`,
      );
    }
    for (const l of lines) await ctx.untagged(l);
    return ok('LSUB completed');
  },
} satisfies ImapCommand<ListInput>;

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

const STATUS_ITEMS = ['MESSAGES', 'RECENT', 'UIDNEXT', 'UIDVALIDITY', 'UNSEEN'] as const;

export const statusCommand = {
  name: 'STATUS',
  states: AUTHENTICATED,
  parse(args) {
    const r = new ArgReader(args);
    if (r.remaining < 2) throw new InvalidCommandError('STATUS needs a mailbox and items');
    const name = r.mailbox();
    const items = new Set<string>();
    while (r.remaining > 0) {
      const t = r.token('status items');
      const list = t.type === 'list' ? t.items : [t];
      for (const i of list) if (i.type === 'atom') items.add(i.value.toUpperCase());
    }
    return { name, items };
  },
  async run(ctx, input) {
    const name = decodeName(ctx, input.name);
    const user = ctx.user();
    // A kept STATUS means the folder's cur/ is there (it is watched) and nothing in it changed.
    const reads = await mailboxReads(user);
    const kept = reads?.keptStatus(name);
    if (name === 'INBOX' || kept || (await user.maildir.folderExists(name).catch(() => false))) {
      const rights = await effectiveRights(aclReads(user, reads), name, user.name);
      if (!rights.includes('r')) throw accessDenied('STATUS', input.name, 'r');
    }
    let st: FolderStatus;
    try {
      st = kept ?? (await (reads ?? user.maildir).status(name));
    } catch (err) {
      if (err instanceof MaildirError && err.code === 'NO_SUCH_FOLDER') throw new RefusedError(NO_MAILBOX);
      throw err;
    }
    const values: Record<(typeof STATUS_ITEMS)[number], number> = {
      MESSAGES: st.messages,
      RECENT: st.recent,
      UIDNEXT: st.uidNext,
      UIDVALIDITY: st.uidValidity,
      UNSEEN: st.unseen,
    };
    const parts = STATUS_ITEMS.filter((i) => input.items.has(i)).map((i) => `${i} ${values[i]}`);
    await ctx.untagged(`STATUS ${quotedName(ctx, name)} (${parts.join(' ')})`);
    return ok('STATUS Completed.');
  },
} satisfies ImapCommand<{ name: string; items: Set<string> }>;

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
