// `pop3d preauth MAILDIR`: one logged-in session on stdin/stdout, settings from the environment.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createMaildir } from '../../support/maildir-fixture.js';
import { startPreauth } from '../../support/server.js';
import { makeTempDir } from '../../support/tmp.js';
import { isRoot, mailUser } from '../../support/users.js';

describe('pop3d preauth', () => {
  test('greets "+OK logged in.", serves the maildir, applies DELE at QUIT, logs Courier lines', async () => {
    const tmp = await makeTempDir('courier-ts-pop3-preauth-');
    const user = mailUser();
    const maildir = join(tmp.path, 'Maildir');
    await createMaildir(maildir, { fixture: 'pop3', owner: user });
    try {
      const p = await startPreauth({
        kind: 'pop3d',
        maildir,
        env: { AUTHENTICATED: 'someone', TCPREMOTEIP: '192.0.2.7', TCPREMOTEPORT: '4711', UTF8: '0' },
        ...(isRoot() ? { uid: user.uid, gid: user.gid } : {}),
      });
      if (p.status !== 'running') throw new Error(p.reason);
      const s = p.session;
      s.write('STAT\r\nRETR 3\r\nDELE 1\r\nQUIT\r\n');
      assert.equal((await s.reader.readLine())!.toString(), '+OK logged in.\r\n');
      assert.match((await s.reader.readLine())!.toString(), /^\+OK 5 \d+\r\n$/);
      const retr = (await s.reader.readPop3Reply(true))!.toString('latin1');
      assert.match(retr, /\r\nFrom: Mail Delivery Subsystem <postmaster>\r\n/, 'UTF8=0: wrapped');
      assert.equal((await s.reader.readLine())!.toString(), '+OK Deleted.\r\n');
      assert.equal((await s.reader.readLine())!.toString(), '+OK Bye-bye.\r\n');
      const exit = await s.finish();
      assert.equal(exit.code, 0);
      assert.equal((await readdir(join(maildir, 'cur'))).length, 4);
      const text = s.logs.text();
      assert.match(text, /^INFO: LOGIN, user=someone, ip=\[192\.0\.2\.7\], port=\[4711\]$/m);
      assert.match(
        text,
        /^INFO: LOGOUT, user=someone, ip=\[192\.0\.2\.7\], port=\[4711\], top=0, retr=\d+, rcvd=28, sent=\d+, time=\d+$/m,
      );
    } finally {
      await tmp.dispose();
    }
  });
});
