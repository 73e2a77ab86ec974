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

/** The scratch maildirs of these processes (a spare names its own `courier-ts-warm-up-<pid>-...`). */
async function scratchOf(pids: readonly number[]): Promise<string[]> {
  return (await scratchDirs()).filter((n) => pids.some((pid) => n.startsWith(`courier-ts-warm-up-${pid}-`)));
}

/**
 * None of these processes' scratch maildirs is left. Only theirs are looked at: other servers on the
 * machine (other test files, other users of /tmp) may be warming up spares of their own right now,
 * slowly under load at the lowest priority.
 */
async function noScratchLeft(pids: readonly number[]): Promise<void> {
  assert.deepEqual(await scratchOf(pids), [], 'scratch maildirs left behind');
}

const SPARE = { pop3d: ['COURIER_TS_SPARE_WORKER=1'] };

describe('pop3d spare session worker', { skip: !isRoot() && 'needs root (no workers otherwise)' }, () => {
  test('warmed up at start, taken over by the first login (account uid, normal priority)', async () => {
    let pids: number[] = [];
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
      pids = spares.map((c) => c.pid);
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
    await noScratchLeft(pids);
  });

  test('stopped while the spare is still warming up: its scratch maildir goes too', async () => {
    const server = await startPop3d(SPARE);
    let pids: number[] = [];
    try {
      pids = childProcesses(server.pid).map((c) => c.pid);
      assert.equal(pids.length, 1);
      // Stopped once its scratch maildir is there: the warm-up has begun.
      for (let i = 0; i < 500 && (await scratchOf(pids)).length === 0; i++)
        await new Promise((r) => setTimeout(r, 10));
      assert.equal((await scratchOf(pids)).length, 1, 'the spare made its scratch maildir');
    } finally {
      await server.stop();
    }
    await noScratchLeft(pids);
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
