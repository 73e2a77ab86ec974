/** STATUS (courier-behaviour.md §4.4): MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN, in that order. */
import { type FolderStatus, MaildirError } from '@courier-ts/maildir';
import { accessDenied, effectiveRights } from '../acl/enforce.js';
import { InvalidCommandError, RefusedError } from '../errors.js';
import { ArgReader } from '../protocol/arg-reader.js';
import { type ImapCommand, ok } from '../session/command.js';
import { AUTHENTICATED } from '../session/state.js';
import { aclReads, mailboxReads } from './mailbox-reads.js';
import { decodeName, quotedName } from './names.js';

const NO_MAILBOX = 'Mailbox does not exist, or must be subscribed to.';

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
