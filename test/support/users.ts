// The system account that owns test maildirs and that test userdb accounts map to.
// As root (CI) a userdb account must never map to uid 0: a dedicated system user is created
// (`courierts`, no login, no home), falling back to `nobody`. As an ordinary user, the current
// uid/gid are used, since only those can own the files the test creates.
import { execFileSync } from 'node:child_process';

export interface MailUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

export const TEST_SYSTEM_USER = 'courierts';

function lookup(name: string): MailUser | undefined {
  try {
    const uid = Number(
      execFileSync('id', ['-u', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
    );
    const gid = Number(
      execFileSync('id', ['-g', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
    );
    return { name, uid, gid };
  } catch {
    return undefined;
  }
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** The account test maildirs belong to; creates the `courierts` system user when running as root. */
export function mailUser(): MailUser {
  if (!isRoot()) {
    const name = execFileSync('id', ['-un'], { encoding: 'utf8' }).trim();
    return { name, uid: process.getuid!(), gid: process.getgid!() };
  }
  const found = lookup(TEST_SYSTEM_USER);
  if (found) return found;
  try {
    execFileSync(
      'useradd',
      [
        '-r',
        '-M',
        '-d',
        '/nonexistent',
        '-s',
        '/usr/sbin/nologin',
        '-c',
        'courier-ts test maildir owner',
        TEST_SYSTEM_USER,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
  } catch {
    // another test process may have created it at the same moment; fall through to the lookup
  }
  const made = lookup(TEST_SYSTEM_USER);
  if (made) return made;
  const nobody = lookup('nobody');
  if (nobody && nobody.uid !== 0) return nobody;
  throw new Error(
    `cannot create or find a non-root system user for test maildirs (${TEST_SYSTEM_USER}, nobody)`,
  );
}

/** pid, uid and nice value of each direct child of a process (the session workers), by uid. */
export function childProcesses(pid: number): Array<{ pid: number; uid: number; nice: number }> {
  let out = '';
  try {
    out = execFileSync('ps', ['-o', 'pid=,uid=,ni=', '--ppid', String(pid)], { encoding: 'utf8' });
  } catch {
    // ps exits 1 when the process has no children
  }
  return out
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length === 3)
    .map(([child, uid, nice]) => ({ pid: Number(child), uid: Number(uid), nice: Number(nice) }))
    .sort((a, b) => a.uid - b.uid);
}

/** uids of the direct children of a process (the session workers). */
export function childUids(pid: number): number[] {
  return childProcesses(pid).map((c) => c.uid);
}
