import { RuntimeError } from '../errors.js';
import type { AccountIds } from './types.js';

/**
 * Become the account: supplementary groups, gid, then uid (the order matters: after setuid the
 * process may no longer change groups). Throws unless the process really runs as the account.
 * Refuses uid 0: a session never runs as root.
 */
export function dropPrivileges(ids: AccountIds): void {
  if (ids.uid === 0) throw new RuntimeError('PRIVILEGE', 'refusing to run a session as root (uid 0)');
  if (!process.setuid || !process.setgid || !process.getuid) {
    throw new RuntimeError('PRIVILEGE', 'this platform cannot change user ids');
  }
  try {
    const initgroups = (process as { initgroups?: (user: string, group: number) => void }).initgroups;
    if (ids.user && initgroups) initgroups.call(process, ids.user, ids.gid);
    else if (process.setgroups) process.setgroups([ids.gid]);
    process.setgid(ids.gid);
    process.setuid(ids.uid);
  } catch (err) {
    throw new RuntimeError('PRIVILEGE', `cannot switch to uid ${ids.uid} gid ${ids.gid}`, { cause: err });
  }
  if (process.getuid() !== ids.uid || process.geteuid?.() !== ids.uid || process.getgid?.() !== ids.gid) {
    throw new RuntimeError('PRIVILEGE', `still not uid ${ids.uid} after setuid`);
  }
}
