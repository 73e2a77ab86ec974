// The privilege model: as root, a session runs in a worker with the account's uid/gid (files the
// session creates belong to the account), uid-0 accounts are refused; as an ordinary user, only
// accounts of that uid are served.
import assert from 'node:assert/strict';
import { chown, mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { writeConfigDir } from '../../support/config-dir.js';
import { createMaildir } from '../../support/maildir-fixture.js';
import { freePort, Pop3Client } from '../../support/net.js';
import { startServer } from '../../support/server.js';
import { makeSelfSignedPem } from '../../support/tls.js';
import { makeTempDir } from '../../support/tmp.js';
import { childUids, isRoot, mailUser } from '../../support/users.js';
import { startPop3d } from './helpers.js';

describe('pop3d privileges', () => {
  test('as root: the session runs as the account (worker uid, files it creates)', {
    skip: !isRoot() && 'needs root',
  }, async () => {
    const server = await startPop3d();
    try {
      const c = await Pop3Client.connect(server.port);
      await c.greeting();
      await c.command('USER testuser');
      assert.equal(await c.command('PASS testpass'), '+OK logged in.\r\n');
      // courierpop3dsizelist is written by the session itself after login
      const sizelist = join(server.maildir!, 'courierpop3dsizelist');
      const st = await stat(sizelist);
      assert.equal(st.uid, server.user.system.uid);
      assert.equal(st.gid, server.user.system.gid);
      assert.deepEqual(childUids(server.pid), [server.user.system.uid]);
      const status = await readFile(`/proc/${server.pid}/status`, 'utf8');
      assert.match(status, /^Uid:\s+0\s/m, 'the listener itself stays root');
      assert.match(await c.command('RETR 2'), /^\+OK \d+ octets follow\./);
      assert.equal(await c.command('QUIT'), '+OK Bye-bye.\r\n');
      // the next session of the same uid is served by the same worker
      const d = await Pop3Client.connect(server.port);
      await d.greeting();
      await d.command('USER testuser');
      assert.equal(await d.command('PASS testpass'), '+OK logged in.\r\n');
      assert.deepEqual(childUids(server.pid), [server.user.system.uid]);
      assert.equal(await d.command('QUIT'), '+OK Bye-bye.\r\n');
    } finally {
      await server.stop();
    }
  });

  test('bytes sent while the session is being handed over are not lost', async () => {
    const server = await startPop3d();
    try {
      const c = await Pop3Client.connect(server.port);
      await c.greeting();
      // the first login of the uid starts its worker: these commands arrive meanwhile
      c.write('USER testuser\r\nPASS testpass\r\n');
      for (const cmd of ['NOOP', 'STAT', 'LIST 1', 'QUIT']) {
        await new Promise((r) => setTimeout(r, 40));
        c.write(`${cmd}\r\n`);
      }
      const lines: string[] = [];
      for (let l = await c.readLine(); l !== undefined; l = await c.readLine()) lines.push(l.trimEnd());
      assert.equal(lines.length, 6, lines.join('|'));
      assert.deepEqual(lines.slice(0, 3), ['+OK Password required.', '+OK logged in.', '+OK Yup.']);
      assert.match(lines[3]!, /^\+OK 5 \d+$/);
      assert.match(lines[4]!, /^\+OK 1 \d+$/);
      assert.equal(lines[5], '+OK Bye-bye.');
    } finally {
      await server.stop();
    }
  });

  test('as root: a uid 0 account is refused', { skip: !isRoot() && 'needs root' }, async () => {
    const tmp = await makeTempDir('courier-ts-pop3-root-');
    const etc = join(tmp.path, 'etc');
    await mkdir(etc);
    const user = mailUser();
    const home = join(tmp.path, 'home');
    await mkdir(home);
    await chown(home, user.uid, user.gid);
    await createMaildir(join(home, 'Maildir'), { owner: user });
    const port = await freePort();
    const tlsPort = await freePort();
    await writeConfigDir({
      dir: etc,
      ports: { pop3: port, pop3s: tlsPort },
      certFile: await makeSelfSignedPem(etc),
      accounts: [{ name: 'rootish', uid: 0, gid: 0, home, maildir: join(home, 'Maildir') }],
      extra: { pop3d: ['COURIER_TS_LOGIN_FAIL_DELAY=50'] },
    });
    const server = await startServer({ kind: 'pop3d', configDir: etc, ports: { plain: port, tls: tlsPort } });
    if (server.status !== 'running') throw new Error(server.reason);
    try {
      const c = await Pop3Client.connect(port);
      await c.greeting();
      await c.command('USER rootish');
      assert.equal(await c.command('PASS testpass'), '-ERR Login failed.\r\n');
      assert.ok(await server.logs.waitFor((e) => /refusing a session as root for user=rootish/.test(e.msg)));
      assert.deepEqual(childUids(server.pid), []);
      c.close();
    } finally {
      await server.stop();
      await tmp.dispose();
    }
  });

  test('as an ordinary user: an account of another uid gets a temporary failure', {
    skip: isRoot() && 'runs as an ordinary user only',
  }, async () => {
    const tmp = await makeTempDir('courier-ts-pop3-uid-');
    const etc = join(tmp.path, 'etc');
    await mkdir(etc);
    const home = join(tmp.path, 'home');
    await createMaildir(join(home, 'Maildir'));
    const port = await freePort();
    const tlsPort = await freePort();
    const other = (process.getuid?.() ?? 1000) + 1;
    await writeConfigDir({
      dir: etc,
      ports: { pop3: port, pop3s: tlsPort },
      certFile: await makeSelfSignedPem(etc),
      accounts: [{ name: 'other', uid: other, gid: other, home, maildir: join(home, 'Maildir') }],
    });
    const server = await startServer({ kind: 'pop3d', configDir: etc, ports: { plain: port, tls: tlsPort } });
    if (server.status !== 'running') throw new Error(server.reason);
    try {
      const c = await Pop3Client.connect(port);
      await c.greeting();
      await c.command('USER other');
      assert.equal(await c.command('PASS testpass'), '-ERR Temporary problem, please try again later\r\n');
      assert.ok(await server.logs.waitFor((e) => /cannot serve user=other/.test(e.msg)));
    } finally {
      await server.stop();
      await tmp.dispose();
    }
  });
});
