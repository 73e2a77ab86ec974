// Two sessions on one maildrop, delivery during a session: nothing lost, nothing deleted that was
// not committed, and the snapshot of a session stays stable.
import assert from 'node:assert/strict';
import { chown, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Pop3Client } from '../../support/net.js';
import { isRoot } from '../../support/users.js';
import { listDir, startPop3d } from './helpers.js';

async function login(port: number): Promise<Pop3Client> {
  const c = await Pop3Client.connect(port);
  await c.greeting();
  await c.command('USER testuser');
  assert.equal(await c.command('PASS testpass'), '+OK logged in.\r\n');
  return c;
}

describe('pop3d concurrency', () => {
  test('two sessions; one deletes, the other sees the message gone; a delivery waits for the next session', async () => {
    const server = await startPop3d();
    try {
      const a = await login(server.port);
      const b = await login(server.port);
      assert.match(await a.command('STAT'), /^\+OK 5 /);
      assert.match(await b.command('STAT'), /^\+OK 5 /);
      const uidlB = await b.command('UIDL');
      assert.equal(await a.command('DELE 1'), '+OK Deleted.\r\n');
      assert.equal(await a.command('QUIT'), '+OK Bye-bye.\r\n');
      assert.equal((await listDir(join(server.maildir!, 'cur'))).length, 4);
      // b still has its snapshot: same list, but message 1 is gone from disk
      assert.equal(await b.command('UIDL'), uidlB);
      assert.equal(await b.command('RETR 1'), "-ERR Can't open the message file - it's gone!\r\n");
      // a new delivery during b's session
      const path = join(server.maildir!, 'new', '1800000000.M1P1.delivered');
      await writeFile(path, 'From: late@example.com\nSubject: late\n\nhello\n');
      if (isRoot()) await chown(path, server.user.system.uid, server.user.system.gid);
      assert.match(await b.command('STAT'), /^\+OK 5 /, 'snapshot unchanged');
      assert.equal(await b.command('DELE 1'), '+OK Deleted.\r\n');
      assert.equal(await b.command('DELE 2'), '+OK Deleted.\r\n');
      assert.equal(await b.command('QUIT'), '+OK Bye-bye.\r\n');
      const c = await login(server.port);
      assert.match(await c.command('STAT'), /^\+OK 4 /, '3 old + the delivery');
      assert.match(await c.command('UIDL'), /\r\n4 UID6-\d+\r\n/);
      assert.equal(await c.command('QUIT'), '+OK Bye-bye.\r\n');
    } finally {
      await server.stop();
    }
  });
});
