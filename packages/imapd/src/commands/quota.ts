/** GETQUOTAROOT, GETQUOTA, SETQUOTA as Courier serves RFC 2087: one root `ROOT` from maildirsize. */
import type { QuotaInfo } from '@courier-ts/maildir';
import { BadCommandError, InvalidCommandError } from '../errors.js';
import { ArgReader } from '../protocol/arg-reader.js';
import { encodeString } from '../protocol/formatter.js';
import { type AnyImapCommand, type ImapCommand, no, ok } from '../session/command.js';
import { AUTHENTICATED } from '../session/state.js';

export const QUOTA_ROOT = 'ROOT';

function quoted(text: string, utf8: boolean): string {
  return encodeString(text, { utf8 }).toString('utf8');
}

/** `(STORAGE <KiB used, rounded up> <KiB limit> MESSAGE <n> <limit>)`, only the limits that exist. */
export function quotaResources(q: QuotaInfo | undefined): string {
  if (!q) return '';
  const parts: string[] = [];
  if (q.limitBytes !== undefined) {
    parts.push(`STORAGE ${Math.ceil(q.usedBytes / 1024)} ${Math.ceil(q.limitBytes / 1024)}`);
  }
  if (q.limitMessages !== undefined) parts.push(`MESSAGE ${q.usedMessages} ${q.limitMessages}`);
  return parts.length > 0 ? ` (${parts.join(' ')})` : '';
}

const getQuotaRootCommand = {
  name: 'GETQUOTAROOT',
  states: AUTHENTICATED,
  capabilities: ['QUOTA'],
  parse(args) {
    const r = new ArgReader(args);
    if (r.remaining === 0) throw new InvalidCommandError('GETQUOTAROOT needs a mailbox');
    // Echoed as sent (`inbox` stays `inbox`), as Courier does.
    const name = r.astring('mailbox');
    r.end();
    return name;
  },
  async run(ctx, name) {
    const q = await ctx.user().maildir.quota();
    await ctx.untagged(`QUOTAROOT ${quoted(name, ctx.utf8)} "${QUOTA_ROOT}"`);
    await ctx.untagged(`QUOTA "${QUOTA_ROOT}"${quotaResources(q)}`);
    return ok('GETQUOTAROOT Ok.');
  },
} satisfies ImapCommand<string>;

const getQuotaCommand = {
  name: 'GETQUOTA',
  states: AUTHENTICATED,
  parse(args) {
    const r = new ArgReader(args);
    if (r.remaining === 0) throw new BadCommandError('GETQUOTA needs a quota root');
    const root = r.astring('quota root');
    r.end();
    return root;
  },
  async run(ctx, root) {
    // Courier answers any other root with the bare name.
    const q = root === QUOTA_ROOT ? await ctx.user().maildir.quota() : undefined;
    await ctx.untagged(`QUOTA ${quoted(root, ctx.utf8)}${quotaResources(q)}`);
    return ok('GETQUOTA Ok.');
  },
} satisfies ImapCommand<string>;

const setQuotaCommand = {
  name: 'SETQUOTA',
  states: AUTHENTICATED,
  parse(args) {
    if (args.length === 0) throw new BadCommandError('SETQUOTA needs arguments');
    return null;
  },
  async run() {
    return no('SETQUOTA No permission.');
  },
} satisfies ImapCommand<null>;

export const QUOTA_COMMANDS: readonly AnyImapCommand[] = [
  getQuotaRootCommand,
  getQuotaCommand,
  setQuotaCommand,
];
