// Limits: MAXPERIP (extra connections closed with Courier's ALERT line), MAXDAEMONS (extra connections
// wait without a greeting), the pre-login cap, the idle timeout, the invalid-command count.
import assert from 'node:assert/strict';
import { chown, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Pop3Client } from '../../support/net.js';
import { isRoot } from '../../support/users.js';
import { sleep, startPop3d } from './helpers.js';

describe('pop3d limits', () => {
  test('MAXPERIP: the third connection from 127.0.0.1 is closed at once', async () => {
    const server = await startPop3d({ pop3d: ['MAXPERIP=2'] });
    try {
      const a = await Pop3Client.connect(server.port);
      const b = await Pop3Client.connect(server.port);
      assert.equal(await a.greeting(), '+OK Hello there.\r\n');
      assert.equal(await b.greeting(), '+OK Hello there.\r\n');
      const c = await Pop3Client.connect(server.port);
      assert.equal(await c.readLine(), undefined, 'closed without a greeting');
      const alert = await server.logs.waitFor(
        (e) => e.msg === 'Maximum connection limit reached for ::ffff:127.0.0.1',
      );
      assert.ok(alert, 'ALERT line logged');
      assert.equal(await a.command('QUIT'), '+OK Better luck next time.\r\n');
      await sleep(200);
      const d = await Pop3Client.connect(server.port);
      assert.equal(await d.greeting(), '+OK Hello there.\r\n');
      b.close();
      d.close();
    } finally {
      await server.stop();
    }
  });

  test('MAXDAEMONS: an extra connection waits, then is served when a slot frees', async () => {
    const server = await startPop3d({ pop3d: ['MAXDAEMONS=1'] });
    try {
      const a = await Pop3Client.connect(server.port);
      assert.equal(await a.greeting(), '+OK Hello there.\r\n');
      const b = await Pop3Client.connect(server.port);
      b.write('CAPA\r\n');
      await sleep(500);
      assert.equal(b.reader.peekPending().length, 0, 'no greeting while the slot is taken');
      assert.equal(await a.command('USER testuser'), '+OK Password required.\r\n');
      assert.equal(await a.command('PASS testpass'), '+OK logged in.\r\n');
      assert.equal(await a.command('QUIT'), '+OK Bye-bye.\r\n');
      assert.equal(await b.greeting(), '+OK Hello there.\r\n');
      assert.match((await b.reader.readPop3Reply(true))!.toString(), /^\+OK Here's what I can do:/);
      b.close();
    } finally {
      await server.stop();
    }
  });

  test('pre-login cap, idle timeout, invalid-command bound', async () => {
    const server = await startPop3d({
      pop3d: ['COURIER_TS_PRELOGIN_TIMEOUT=1', 'COURIER_TS_IDLE_TIMEOUT=1', 'COURIER_TS_MAX_BAD_COMMANDS=3'],
    });
    try {
      const a = await Pop3Client.connect(server.port);
      await a.greeting();
      const t0 = Date.now();
      assert.equal(await a.readLine(), undefined);
      assert.ok(Date.now() - t0 >= 800, 'closed by the pre-login cap');

      const b = await Pop3Client.connect(server.port);
      await b.greeting();
      await b.command('USER testuser');
      assert.equal(await b.command('PASS testpass'), '+OK logged in.\r\n');
      assert.equal(await b.readLine(), undefined, 'closed when idle');
      assert.ok(
        await server.logs.waitFor((e) => /^TIMEOUT, user=testuser, ip=\[::ffff:127\.0\.0\.1\]/.test(e.msg)),
      );

      // a client that stops reading in the middle of a big RETR is dropped like an idle one
      const big = join(server.maildir!, 'new', '1800000000.M1P1.big');
      await writeFile(big, `From: big@example.com\nSubject: big\n\n${'x'.repeat(1000)}\n`.repeat(40_000));
      if (isRoot()) await chown(big, server.user.system.uid, server.user.system.gid);
      const slow = await Pop3Client.connect(server.port);
      await slow.greeting();
      await slow.command('USER testuser');
      assert.equal(await slow.command('PASS testpass'), '+OK logged in.\r\n');
      slow.socket.pause();
      slow.send('RETR 6');
      assert.ok(
        await server.logs.waitFor(
          (e) => /^TIMEOUT, user=testuser, .*port=\[\d+\], top=0, retr=0, rcvd=\d+, sent=\d{6,},/.test(e.msg),
          15_000,
        ),
        'slow reader timed out',
      );
      slow.close();

      const c = await Pop3Client.connect(server.port);
      await c.greeting();
      assert.equal(await c.command('X1'), '-ERR Invalid command.\r\n');
      assert.equal(await c.command('X2'), '-ERR Invalid command.\r\n');
      c.send('X3');
      assert.equal(await c.readLine(), '-ERR Invalid command.\r\n');
      assert.equal(await c.readLine(), '-ERR Too many invalid commands.\r\n');
      assert.equal(await c.readLine(), undefined);
    } finally {
      await server.stop();
    }
  });
});
