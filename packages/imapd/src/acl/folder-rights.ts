/**
 * A user's rights on a folder, for the commands that must enforce them (RFC 4314 section 4) and for
 * SELECT's `[MYRIGHTS "..."]`: stored-form letters (`aceilrstwx` ...), and the RFC 2086 display.
 */
import { type AclSource, readFolderAcl } from './acl-store.js';
import { computeRights, selectRightsDisplay } from './rights.js';

/** Stored-form rights of `user` on folder `name` (UTF-8 store name) of the maildir (or its path). */
export async function folderRights(source: AclSource | string, name: string, user: string): Promise<string> {
  return computeRights(await readFolderAcl(source, name), user);
}

/** `[MYRIGHTS "acdilrsw"]` text for SELECT/EXAMINE (its own display form, see selectRightsDisplay). */
export async function myRightsDisplay(
  source: AclSource | string,
  name: string,
  user: string,
): Promise<string> {
  return selectRightsDisplay(await folderRights(source, name, user));
}

/**
 * The right each command needs (RFC 4314 section 4, Courier's letters; enforced in acl/enforce.ts
 * and the commands): CREATE and RENAME's target need `c` on the parent, RENAME's source `x`.
 */
export const COMMAND_RIGHTS = {
  SELECT: 'r',
  EXAMINE: 'r',
  STATUS: 'r',
  LIST: 'l',
  APPEND: 'i',
  COPY_TARGET: 'i',
  CREATE: 'c',
  DELETE: 'x',
  RENAME: 'x',
  STORE_SEEN: 's',
  STORE_DELETED: 't',
  STORE_OTHER: 'w',
  EXPUNGE: 'e',
  SETACL: 'a',
} as const;

export function hasRight(rights: string, right: string): boolean {
  return rights.includes(right);
}
