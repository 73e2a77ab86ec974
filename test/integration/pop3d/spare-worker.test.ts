// The spare session worker (COURIER_TS_SPARE_WORKER, on by default as root): a worker process forked
// and warmed up at start, at the lowest priority and as nobody's yet, that the first login of an
// account takes over (it then runs with the account's uid like any worker, at normal priority); a
// new spare replaces it; nothing of the warm-up (its scratch maildir) is left behind, even when the
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

const SPARE = { pop3d: ['COURIER_TS_SPARE_WORKER=1'] };

describe('pop3d spare session worker', { skip: !isRoot() && 'needs root (no workers otherwise)' }, () => {
  test('warmed up at start, taken by the first login (account uid), replaced by another', async () => {
    const before = await scratchDirs();
    const server = await startPop3d(SPARE);
    try {
      const ready = await server.logs.waitFor((e) => /spare session worker ready/.test(e.msg), 30_000);
      assert.ok(ready, 'the spare warmed up');
      assert.deepEqual(
        childProcesses(server.pid),
        [{ uid: 0, nice: 19 }],
        'one spare: root, lowest priority',
      );
      const c = await Pop3Client.connect(server.port);
      await c.greeting();
      await c.command('USER testuser');
      assert.equal(await c.command('PASS testpass'), '+OK logged in.\r\n');
      assert.match(await c.command('STAT'), /^\+OK 5 \d+\r\n$/);
      const uid = server.user.system.uid;
      // The spare became the account's worker; a new spare (root, niced) is warming up.
      assert.deepEqual(childProcesses(server.pid), [
        { uid: 0, nice: 19 },
        { uid, nice: 0 },
      ]);
      assert.equal(await c.command('QUIT'), '+OK Bye-bye.\r\n');
    } finally {
      // Stopped while the new spare may still be warming up: its scratch maildir goes too.
      await server.stop();
    }
    assert.deepEqual(await scratchDirs(), before);
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
