/** LIST and LSUB (courier-behaviour.md §4.3): attributes in Courier's order, \Marked / \Unmarked. */
import type { FolderListEntry } from '@courier-ts/maildir';
import { effectiveRights } from '../acl/enforce.js';
import { visibleFolders } from '../acl/visible-folders.js';
import { InvalidCommandError } from '../errors.js';
import { ArgReader } from '../protocol/arg-reader.js';
import { type CommandContext, type ImapCommand, ok } from '../session/command.js';
import type { MemoView } from '../session/mailbox-memo.js';
import { AUTHENTICATED } from '../session/state.js';
import { canonicalInbox, listMatcher } from './list-pattern.js';
import { aclReads, mailboxReads } from './mailbox-reads.js';
import { decodeName, quotedName } from './names.js';

export interface ListInput {
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
