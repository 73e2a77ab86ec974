/**
 * ACL enforcement as Courier's imapd does it (whatever IMAP_ACL says: that setting only decides
 * whether ACL/ACL2=UNION are advertised): a command lacking a right on a folder gets
 * `NO Access denied for <COMMAND> on <name as sent> (ACL "<right>" required)`; STORE and the
 * implicit \Seen of FETCH silently leave alone the flags the user may not change.
 */
import type { MaildirFlag } from '@courier-ts/maildir';
import { RefusedError } from '../errors.js';
import { type AclSource, readFolderAcl } from './acl-store.js';
import { computeRights } from './rights.js';

export function accessDenied(command: string, shown: string, right: string): RefusedError {
  return new RefusedError(`Access denied for ${command} on ${shown} (ACL "${right}" required)`);
}

/**
 * Stored-form rights of `user` on folder `name` (which need not exist). The read saves an inherited
 * ACL as Courier's does (into the folder, or courierimaphieracl/ for a name without a directory);
 * `_existing` is no longer needed and only kept for callers that still pass it.
 */
export async function effectiveRights(
  source: AclSource | string,
  name: string,
  user: string,
  _existing = false,
): Promise<string> {
  return computeRights(await readFolderAcl(source, name), user);
}

/** Throws Courier's `Access denied ...` unless `user` has `right` on `name`. */
export async function requireRight(
  source: AclSource | string,
  user: string,
  target: { readonly name: string; readonly shown: string; readonly exists?: boolean },
  command: string,
  right: string,
): Promise<void> {
  const rights = await effectiveRights(source, target.name, user);
  if (!rights.includes(right)) throw accessDenied(command, target.shown, right);
}

/** The right a maildir flag needs: \Seen `s`, \Deleted `t`, the others (and keywords) `w`. */
export function flagRight(flag: MaildirFlag): string {
  if (flag === 'S') return 's';
  if (flag === 'T') return 't';
  return 'w';
}

/** The flags of `flags` the rights allow changing. */
export function allowedFlags(flags: readonly MaildirFlag[], rights: string): MaildirFlag[] {
  return flags.filter((f) => rights.includes(flagRight(f)));
}

/** Parent folder of a store name (`INBOX.a.b` -> `INBOX.a`), and of the name as sent. */
export function parentOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot === -1 ? 'INBOX' : name.slice(0, dot);
}
