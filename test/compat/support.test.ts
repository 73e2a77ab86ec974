// The proof machinery itself: the real-Courier driver, the stdio runner and our-server launcher.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { courierAvailability, startCourier, startCourierPreauth } from '../support/courier.js';
import { createMaildir } from '../support/maildir-fixture.js';
import { ImapClient, Pop3Client } from '../support/net.js';
import { startPreauth, startServer } from '../support/server.js';
import { makeTempDir } from '../support/tmp.js';
import { mailUser } from '../support/users.js';
import { normaliseTranscript } from './normalise.js';
import { play } from './runner.js';
import { parseScenario } from './scenario.js';

const stdioScenario = parseScenario(
  '@protocol imap\n@transport stdio\n@fixture basic\n---\na SELECT INBOX\nb FETCH 1:* (UID FLAGS)\nc LOGOUT\n',
);

async function courierStdioTranscript(): Promise<string[]> {
  const tmp = await makeTempDir('courier-ts-support-');
  try {
    const maildir = join(tmp.path, 'Maildir');
    await createMaildir(maildir, { fixture: 'basic', owner: mailUser(), useOurMaildirmake: false });
    const s = startCourierPreauth({ kind: 'imapd', maildir, env: { AUTHENTICATED: 'testuser' } });
    const t = await play('imap', stdioScenario.lines, {
      reader: s.reader,
      write: (b) => s.write(b),
      end: () => s.child.stdin.end(),
    });
    const exit = await s.finish();
    assert.equal(exit.code, 0);
    return normaliseTranscript(t.render(), { hostnames: [], masks: [] });
  } finally {
    await tmp.dispose();
  }
}

describe('real Courier driver', () => {
  test('pre-authenticated imapd on stdio gives the same normalised transcript twice', async (t) => {
    const avail = courierAvailability(false);
    if (!avail.ok) return t.skip(avail.reason);
    const first = await courierStdioTranscript();
    await new Promise((r) => setTimeout(r, 1100)); // a new second: a different UIDVALIDITY
    const second = await courierStdioTranscript();
    assert.equal(first[0], 'S: * PREAUTH Ready.');
    assert.ok(first.includes('S: * OK [UIDVALIDITY <uidvalidity>] Ok'));
    assert.ok(first.includes('S: * 3 FETCH (UID 3 FLAGS (\\Recent))'));
    assert.deepEqual(second, first);
  });

  describe('network instance', () => {
    const avail = courierAvailability(true);
    let inst: Awaited<ReturnType<typeof startCourier>> | undefined;
    after(() => inst?.stop());

    test('serves IMAP and POP3 logins and runs authtest inside', async (t) => {
      if (!avail.ok) return t.skip(avail.reason);
      inst = await startCourier();
      await inst.resetMaildir({ fixture: 'basic' });
      const imap = await ImapClient.connect(inst.ports.imap);
      assert.match(await imap.greeting(), /^\* OK \[CAPABILITY IMAP4rev1 .*\] Courier-IMAP ready\./);
      assert.equal((await imap.command(`LOGIN ${inst.user} ${inst.password}`)).status, 'OK');
      const sel = await imap.command('SELECT INBOX');
      assert.ok(sel.responses.includes('* 3 EXISTS\r\n'), sel.responses.join(''));
      assert.equal((await imap.command('LOGOUT')).status, 'OK');
      imap.close();

      const pop = await Pop3Client.connect(inst.ports.pop3);
      assert.equal(await pop.greeting(), '+OK Hello there.\r\n');
      assert.equal(await pop.command(`USER ${inst.user}`), '+OK Password required.\r\n');
      assert.equal(await pop.command(`PASS ${inst.password}`), '+OK logged in.\r\n');
      assert.equal(await pop.command('STAT'), '+OK 3 1239\r\n');
      assert.match(await pop.command('RETR 3'), /\r\n\.\.A line starting with a dot\.\r\n[\s\S]*\r\n\.\r\n$/);
      assert.equal(await pop.command('QUIT'), '+OK Bye-bye.\r\n');
      pop.close();

      const ok = await inst.exec(['authtest', inst.user, inst.password]);
      assert.equal(ok.code, 0);
      assert.match(
        ok.stdout,
        /^Authentication succeeded\.\n\n {5}Authenticated: testuser {2}\(uid \d+, gid \d+\)\n/,
      );
      const bad = await inst.exec(['authtest', inst.user, 'wrong']);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /Authentication FAILED: Operation not permitted/);
      assert.match(
        await inst.logs(),
        /INFO: LOGIN, user=testuser, ip=\[::ffff:127\.0\.0\.1\], port=\[\d+\], protocol=IMAP/,
      );
    });
  });
});

describe('our servers as child processes', () => {
  for (const kind of ['imapd', 'pop3d'] as const) {
    test(`${kind} run: greets on its port, or is reported missing with the CLI's reason`, async (t) => {
      const srv = await startServer({ kind, maildir: { fixture: 'basic' } });
      if (srv.status === 'missing') {
        assert.match(srv.reason, /not built yet|not implemented|unknown command/i);
        return t.skip(srv.reason);
      }
      try {
        if (srv.listening.length > 0) assert.ok(srv.listening.some((l) => l.port === srv.port && !l.tls));
        if (kind === 'imapd') {
          const c = await ImapClient.connect(srv.port);
          assert.match(await c.greeting(), /^\* OK /);
          assert.equal((await c.command(`LOGIN ${srv.user.name} ${srv.user.password}`)).status, 'OK');
          assert.equal((await c.command('LOGOUT')).status, 'OK');
          c.close();
        } else {
          const c = await Pop3Client.connect(srv.port);
          assert.match(await c.greeting(), /^\+OK /);
          assert.match(await c.command('QUIT'), /^\+OK /);
          c.close();
        }
      } finally {
        await srv.stop();
      }
    });

    test(`${kind} preauth: greets on stdout, or is reported missing`, async (t) => {
      const tmp = await makeTempDir('courier-ts-support-');
      try {
        const maildir = join(tmp.path, 'Maildir');
        await createMaildir(maildir, { fixture: 'basic', useOurMaildirmake: false });
        const started = await startPreauth({ kind, maildir, env: { AUTHENTICATED: 'testuser' } });
        if (started.status === 'missing') {
          assert.match(started.reason, /not built yet|not implemented|unknown command/i);
          return t.skip(started.reason);
        }
        const first = (await started.session.reader.readLine())?.toString();
        assert.equal(first, kind === 'imapd' ? '* PREAUTH Ready.\r\n' : '+OK logged in.\r\n');
        started.session.write(kind === 'imapd' ? 'z LOGOUT\r\n' : 'QUIT\r\n');
        const exit = await started.session.finish();
        assert.equal(exit.code, 0);
        started.session.logs.assertNoErrors([], kind);
      } finally {
        await tmp.dispose();
      }
    });
  }
});

describe('ImapClient literals against the real Courier', () => {
  test('APPEND with a synchronising literal, and a refused one', async (t) => {
    const avail = courierAvailability(true);
    if (!avail.ok) return t.skip(avail.reason);
    const inst = await startCourier();
    try {
      await inst.resetMaildir({});
      const c = await ImapClient.connect(inst.ports.imap);
      await c.greeting();
      assert.equal((await c.command(`LOGIN ${inst.user} ${inst.password}`)).status, 'OK');
      const ok = await c.commandWithLiteral('APPEND INBOX (\\Seen)', 'Subject: x\r\n\r\nhi\r\n');
      assert.equal(ok.responses[0], '+ OK\r\n');
      assert.match(ok.tagged, /^t2 OK \[APPENDUID \d+ 1\] APPEND Ok\.\r\n$/);
      const refused = await c.commandWithLiteral('APPEND INBOX.Nope', 'x');
      assert.equal(refused.tagged, 't3 NO [TRYCREATE] Must create mailbox before append\r\n');
      const f = await c.command('SELECT INBOX');
      assert.ok(f.responses.includes('* 1 EXISTS\r\n'));
      await c.command('LOGOUT');
      c.close();
    } finally {
      await inst.stop();
    }
  });
});
