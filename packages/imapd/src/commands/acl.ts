/**
 * MYRIGHTS, GETACL, SETACL, DELETEACL, LISTRIGHTS with Courier's wording (RFC 2086 display of
 * Courier's RFC 4314 storage, ACL2=UNION): src/acl/.
 */

import { readFolderAcl, writeFolderAcl } from '../acl/acl-store.js';
import {
  type AclEntry,
  applyRightsChange,
  computeRights,
  deleteIdentifier,
  displayRights,
  grantedRights,
  keepsAdministrators,
  LISTRIGHTS_TAIL,
  parseRightsChange,
  selectRightsDisplay,
  storedIdentifier,
  wireIdentifier,
} from '../acl/rights.js';
import { BadCommandError, InvalidCommandError, RefusedError } from '../errors.js';
import { ArgReader } from '../protocol/arg-reader.js';
import { encodeString } from '../protocol/formatter.js';
import { type AnyImapCommand, type CommandContext, type ImapCommand, ok } from '../session/command.js';
import { AUTHENTICATED } from '../session/state.js';
import { decodeName } from './names.js';

const NO_MAILBOX = 'Mailbox does not exist, or must be subscribed to.';
const CANNOT_MODIFY = 'Cannot modify ACLs on this mailbox.';
const INVALID_ID = 'Invalid ACL identifier.';

function q(ctx: CommandContext, text: string): string {
  return encodeString(text, { utf8: ctx.utf8 }).toString('utf8');
}

/** The store name of an existing folder, or `NO Mailbox does not exist ...`. */
async function existing(ctx: CommandContext, wire: string): Promise<string> {
  const name = decodeName(ctx, wire);
  const maildir = ctx.user().maildir;
  if (name !== 'INBOX' && !(await maildir.folderExists(name).catch(() => false)))
    throw new RefusedError(NO_MAILBOX);
  return name;
}

interface Args {
  readonly mailbox: string;
  readonly rest: readonly string[];
}

function parser(name: string, extra: number) {
  return (args: Parameters<ImapCommand<Args>['parse']>[0]): Args => {
    const r = new ArgReader(args);
    if (r.remaining === 0) throw new InvalidCommandError(`${name} needs a mailbox`);
    const mailbox = r.mailbox();
    if (r.remaining < extra) throw new BadCommandError(`${name}: missing arguments`);
    const rest: string[] = [];
    for (let i = 0; i < extra; i++) rest.push(r.astring());
    r.end();
    return { mailbox, rest };
  };
}

function myRights(ctx: CommandContext, entries: readonly AclEntry[]): string {
  return displayRights(computeRights(entries, ctx.user().name));
}

const myRightsCommand = {
  name: 'MYRIGHTS',
  states: AUTHENTICATED,
  capabilities: ['ACL'],
  parse: parser('MYRIGHTS', 0),
  async run(ctx, a) {
    const name = await existing(ctx, a.mailbox);
    const entries = await readFolderAcl(ctx.user().maildir, name);
    await ctx.untagged(`MYRIGHTS ${q(ctx, a.mailbox)} ${q(ctx, myRights(ctx, entries))}`);
    return ok('MYRIGHTS completed.');
  },
} satisfies ImapCommand<Args>;

const getAclCommand = {
  name: 'GETACL',
  states: AUTHENTICATED,
  parse: parser('GETACL', 0),
  async run(ctx, a) {
    const name = await existing(ctx, a.mailbox);
    const entries = await readFolderAcl(ctx.user().maildir, name);
    const list = entries.map(
      (e) => `${q(ctx, wireIdentifier(e.identifier))} ${q(ctx, displayRights(e.rights))}`,
    );
    await ctx.untagged(`ACL ${q(ctx, a.mailbox)} ${list.join(' ')}`);
    return ok('GETACL completed.');
  },
} satisfies ImapCommand<Args>;

const listRightsCommand = {
  name: 'LISTRIGHTS',
  states: AUTHENTICATED,
  parse: parser('LISTRIGHTS', 1),
  async run(ctx, a) {
    await readFolderAcl(ctx.user().maildir, await existing(ctx, a.mailbox));
    await ctx.untagged(`LISTRIGHTS ${q(ctx, a.mailbox)} ${q(ctx, a.rest[0]!)} ${LISTRIGHTS_TAIL}`);
    return ok('LISTRIGHTS completed.');
  },
} satisfies ImapCommand<Args>;

/** SETACL and DELETEACL: validate, change, refuse what would lock out owner/administrators, write. */
async function changeAcl(
  ctx: CommandContext,
  a: Args,
  change: (entries: readonly AclEntry[], id: string) => AclEntry[],
) {
  const wire = a.rest[0]!;
  if (wire.includes('=')) throw new RefusedError(INVALID_ID);
  const name = await existing(ctx, a.mailbox);
  // Negative identifiers (`-bob`, `-owner`, even `-`) are accepted by Courier's SETACL too.
  if (wire === '' || /[\s\0-\x1f\x7f]/.test(wire)) {
    throw new RefusedError(CANNOT_MODIFY);
  }
  const maildir = ctx.user().maildir;
  const entries = await readFolderAcl(maildir, name);
  const id = storedIdentifier(wire);
  const next = change(entries, id);
  if (!keepsAdministrators(next)) throw new RefusedError(CANNOT_MODIFY);
  // Courier: the result must leave the user `a` and `l` on the folder (as the ACL grants them:
  // MYRIGHTS shows `a` anyway), so `-owner l` or `-bob a` for bob are refused, and fixing works.
  const kept = grantedRights(next, ctx.user().name);
  if (!kept.includes('a') || !kept.includes('l')) throw new RefusedError(CANNOT_MODIFY);
  await writeFolderAcl(maildir.path, name, next);
  if (ctx.state.kind === 'selected' && ctx.state.mailbox.folder.name === name) {
    const user = ctx.user().name;
    const before = ctx.state.mailbox.rights;
    const after = computeRights(next, user);
    ctx.state.mailbox.rights = after;
    // The SELECT form of the rights (`aceilrswx` when `t` is missing), as Courier sends it here.
    if (before !== after) await ctx.untagged(`OK [MYRIGHTS ${q(ctx, selectRightsDisplay(after))}] ACL`);
  }
  return ok('ACLs updated.');
}

const setAclCommand = {
  name: 'SETACL',
  states: AUTHENTICATED,
  parse: parser('SETACL', 2),
  run: (ctx, a) => changeAcl(ctx, a, (e, id) => applyRightsChange(e, id, parseRightsChange(a.rest[1]!))),
} satisfies ImapCommand<Args>;

const deleteAclCommand = {
  name: 'DELETEACL',
  states: AUTHENTICATED,
  parse: parser('DELETEACL', 1),
  run: (ctx, a) => changeAcl(ctx, a, deleteIdentifier),
} satisfies ImapCommand<Args>;

export const ACL_COMMANDS: readonly AnyImapCommand[] = [
  myRightsCommand,
  getAclCommand,
  setAclCommand,
  deleteAclCommand,
  listRightsCommand,
];
