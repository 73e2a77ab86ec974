// The spare session worker (COURIER_TS_SPARE_WORKER, on by default as root): a worker process forked
// and warmed up at start, at the lowest priority and as nobody's yet, that the first login of an
// account takes over (it then runs with the account's uid like any worker, at normal priority);
// another follows later; nothing of the warm-up (its scratch maildir) is left behind, even when the
// server stops while a spare is still warming up.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { describe, test } from 'node:test';
import { Pop3Client } from '../../support/net.js';
import { childProcesses, isRoot } from '../../support/users.js';
import { startPop3d } from './helpers.js';

async function scratchDirs(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((n) => n.startsWith('courier-ts-warm-up-'));
}

/**
 * No scratch maildir left that was not there `before`. Other servers on the machine (other test
 * files, other users of /tmp) may be warming up right now: a directory that is still there is looked
 * at again until it goes (theirs finish within seconds); one of ours left behind stays and fails.
 */
async function noScratchLeft(before: readonly string[]): Promise<void> {
  const deadline = Date.now() + 15_000;
  let left = (await scratchDirs()).filter((n) => !before.includes(n));
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    left = (await scratchDirs()).filter((n) => !before.includes(n));
  }
  assert.deepEqual(left, [], 'scratch maildirs left behind');
}

const SPARE = { pop3d: ['COURIER_TS_SPARE_WORKER=1'] };

describe('pop3d spare session worker', { skip: !isRoot() && 'needs root (no workers otherwise)' }, () => {
  test('warmed up at start, taken over by the first login (account uid, normal priority)', async () => {
    const before = await scratchDirs();
    const server = await startPop3d(SPARE);
    try {
      const ready = await server.logs.waitFor((e) => /spare session worker ready/.test(e.msg), 30_000);
      assert.ok(ready, 'the spare warmed up');
      const spares = childProcesses(server.pid);
      assert.deepEqual(
        spares.map(({ uid, nice }) => ({ uid, nice })),
        [{ uid: 0, nice: 19 }],
        'one spare: root, lowest priority',
      );
      const c = await Pop3Client.connect(server.port);
      await c.greeting();
      await c.command('USER testuser');
      assert.equal(await c.command('PASS testpass'), '+OK logged in.\r\n');
      assert.match(await c.command('STAT'), /^\+OK 5 \d+\r\n$/);
      // The spare itself became the account's worker (same process, the account's uid, normal
      // priority); the next spare comes later, not during the account's first commands.
      assert.deepEqual(childProcesses(server.pid), [
        { pid: spares[0]!.pid, uid: server.user.system.uid, nice: 0 },
      ]);
      assert.equal(await c.command('QUIT'), '+OK Bye-bye.\r\n');
    } finally {
      await server.stop();
    }
    await noScratchLeft(before);
  });

  test('stopped while the spare is still warming up: its scratch maildir goes too', async () => {
    const before = await scratchDirs();
    const server = await startPop3d(SPARE);
    try {
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(childProcesses(server.pid).length, 1);
    } finally {
      await server.stop();
    }
    await noScratchLeft(before);
  });

  test('COURIER_TS_SPARE_WORKER=0: no process before the first login', async () => {
    const server = await startPop3d({ pop3d: ['COURIER_TS_SPARE_WORKER=0'] });
    try {
      await new Promise((r) => setTimeout(r, 500));
      assert.deepEqual(childProcesses(server.pid), []);
    } finally {
      await server.stop();
    }
  });
});
