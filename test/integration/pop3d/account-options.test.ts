// Account options from authlib (userdb `options=`): disablepop3, disableinsecurepop3.
import assert from 'node:assert/strict';
import { chown, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { connect as tlsConnect } from 'node:tls';
import { writeConfigDir } from '../../support/config-dir.js';
import { createMaildir } from '../../support/maildir-fixture.js';
import { freePort, Pop3Client } from '../../support/net.js';
import { startServer } from '../../support/server.js';
import { makeSelfSignedPem } from '../../support/tls.js';
import { makeTempDir } from '../../support/tmp.js';
import { isRoot, mailUser } from '../../support/users.js';
import { StreamReader } from '../../support/wire.js';

describe('pop3d account options', () => {
  test('disablepop3 and disableinsecurepop3 are refused with Courier texts', async () => {
    const tmp = await makeTempDir('courier-ts-pop3-options-');
    const user = mailUser();
    const etc = join(tmp.path, 'etc');
    await mkdir(etc);
    const home = join(tmp.path, 'home');
    await mkdir(home);
    if (isRoot()) await chown(home, user.uid, user.gid);
    const maildir = join(home, 'Maildir');
    await createMaildir(maildir, { fixture: 'pop3', owner: user });
    const port = await freePort();
    const tlsPort = await freePort();
    const base = { uid: user.uid, gid: user.gid, home, maildir };
    await writeConfigDir({
      dir: etc,
      ports: { pop3: port, pop3s: tlsPort },
      certFile: await makeSelfSignedPem(etc),
      accounts: [
        { name: 'nopop', ...base, extra: { options: 'disablepop3=1' } },
        { name: 'tlsonly', ...base, extra: { options: 'disableinsecurepop3=1' } },
      ],
    });
    const server = await startServer({ kind: 'pop3d', configDir: etc, ports: { plain: port, tls: tlsPort } });
    if (server.status !== 'running') throw new Error(server.reason);
    try {
      const a = await Pop3Client.connect(port);
      await a.greeting();
      await a.command('USER nopop');
      assert.equal(await a.command('PASS testpass'), '-ERR POP3 access disabled for this account.\r\n');
      assert.equal(await a.readLine(), undefined);
      const b = await Pop3Client.connect(port);
      await b.greeting();
      await b.command('USER tlsonly');
      assert.equal(
        await b.command('PASS testpass'),
        '-ERR POP3 access disabled via insecure connection.\r\n',
      );
      const t = tlsConnect({ port: tlsPort, host: '127.0.0.1', rejectUnauthorized: false });
      const r = new StreamReader(t, 10_000);
      assert.equal((await r.readLine())?.toString(), '+OK Hello there.\r\n');
      t.write('USER tlsonly\r\nPASS testpass\r\nQUIT\r\n');
      await r.readLine();
      assert.equal((await r.readLine())?.toString(), '+OK logged in.\r\n');
      assert.equal((await r.readLine())?.toString(), '+OK Bye-bye.\r\n');
      t.destroy();
    } finally {
      await server.stop();
      await tmp.dispose();
    }
  });
});
