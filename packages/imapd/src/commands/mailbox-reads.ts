/** Where LIST, LSUB and STATUS read folders and ACLs from: the process's memo, when there is one. */
import type { AclSource } from '../acl/acl-store.js';
import type { MemoView } from '../session/mailbox-memo.js';
import type { UserSpace } from '../session/state.js';

/** What LIST and STATUS read: through the process's memo when there is one (one turn of the loop). */
export async function mailboxReads(user: UserSpace): Promise<MemoView | undefined> {
  return user.memo?.view();
}

/** Where ACLs are read: the memo when there is one. */
export function aclReads(user: UserSpace, reads: MemoView | undefined): AclSource {
  return reads ? { path: user.maildir.path, readAcl: (name) => reads.readAcl(name) } : user.maildir;
}
