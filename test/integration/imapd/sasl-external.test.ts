// AUTHENTICATE EXTERNAL with real TLS client certificates (TLS_VERIFYPEER=PEER, TLS_TRUSTCERTS,
// TLS_EXTERNAL=emailaddress), on the SSL port and after STARTTLS. Expected replies and log lines
// are what Courier 5.0.13 (Debian 12, couriertls on GnuTLS) answers to the same sessions.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TLSSocket } from 'node:tls';
import {
  type ClientCert,
  type ClientCertSet,
  makeClientCerts,
  tlsHandshake,
} from '../../support/client-certs.js';
import { ImapClient } from '../../support/net.js';
import { type RunningServer, startRunningServer } from '../../support/server.js';
import { makeTempDir, type TempDir } from '../../support/tmp.js';
import { childUids, isRoot } from '../../support/users.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

/** An ImapClient over an already connected TLS socket. */
class TlsImapClient extends ImapClient {
  static over(socket: TLSSocket): ImapClient {
    return new TlsImapClient(socket, 15_000);
  }
}

/** Implicit TLS (the SSL port), with or without a client certificate; the greeting is returned too. */
async function imaps(server: RunningServer, cert?: ClientCert): Promise<{ c: ImapClient; greeting: string }> {
  const c = TlsImapClient.over(await tlsHandshake({ port: server.tlsPort! }, cert));
  return { c, greeting: await c.greeting() };
}

const capability = async (c: ImapClient): Promise<string> =>
  (await c.command('CAPABILITY')).responses[0] ?? '';

describe('imapd AUTHENTICATE EXTERNAL (TLS client certificates)', () => {
  let tmp: TempDir;
  let pki: ClientCertSet<'good' | 'nofield' | 'stranger'>;
  let server: RunningServer;
  before(async () => {
    tmp = await makeTempDir('courier-ts-imap-external-');
    pki = await makeClientCerts(tmp.path, {
      good: '/CN=Test User/emailAddress=testuser',
      nofield: '/CN=testuser',
      stranger: '/CN=Somebody/emailAddress=nosuchuser',
    });
    server = await startRunningServer({
      kind: 'imapd',
      maildir: { fixture: 'basic' },
      extraConfig: {
        imapd: ['COURIER_TS_LOGIN_FAIL_DELAY=50'],
        'imapd-ssl': ['TLS_VERIFYPEER=PEER', `TLS_TRUSTCERTS=${pki.caFile}`, 'TLS_EXTERNAL=emailaddress'],
      },
    });
  });
  after(async () => {
    await server?.stop();
    await tmp?.dispose();
  });

  const failedLines = (): number =>
    server.logs.entries.filter((e) => /^LOGIN FAILED, method=EXTERNAL, ip=\[/.test(e.msg)).length;

  test('no certificate: not advertised, refused with the LOGIN FAILED line', async () => {
    const { c, greeting } = await imaps(server);
    try {
      assert.doesNotMatch(greeting, /AUTH=EXTERNAL/);
      assert.doesNotMatch(await capability(c), /AUTH=EXTERNAL/);
      const before = failedLines();
      const r = await c.command('AUTHENTICATE EXTERNAL');
      assert.deepEqual(r.responses, [`${r.tagged}`]);
      assert.match(r.tagged, /^t\d+ NO Login failed\.\r\n$/);
      assert.ok(await server.logs.waitFor(() => failedLines() > before));
    } finally {
      c.close();
    }
  });

  test('any failed AUTHENTICATE is logged with its mechanism, as Courier logs it', async () => {
    const c = await ImapClient.connect(server.port);
    try {
      await c.greeting();
      const lines = (m: string): number =>
        server.logs.entries.filter((e) => e.msg.startsWith(`LOGIN FAILED, method=${m},`)).length;
      const foo = lines('FOO');
      assert.match((await c.command('AUTHENTICATE foo')).tagged, / NO Login failed\.\r\n$/);
      assert.ok(await server.logs.waitFor(() => lines('FOO') > foo));
      const plain = lines('PLAIN');
      assert.match(
        (await c.command(`AUTHENTICATE PLAIN ${b64('\0testuser\0wrong')}`)).tagged,
        / NO Login failed\.\r\n$/,
      );
      const tag = c.nextTag();
      c.send(`${tag} AUTHENTICATE PLAIN`);
      assert.equal((await c.until(tag, true)).tagged, '+ \r\n');
      c.send('*');
      assert.equal((await c.until(tag)).tagged, `${tag} NO Login failed.\r\n`);
      assert.ok(await server.logs.waitFor(() => lines('PLAIN') >= plain + 2));
    } finally {
      c.close();
    }
  });

  test('plain connection: not advertised, refused', async () => {
    const c = await ImapClient.connect(server.port);
    try {
      assert.doesNotMatch(await c.greeting(), /AUTH=EXTERNAL/);
      assert.match(
        (await c.command(`AUTHENTICATE EXTERNAL ${b64('testuser')}`)).tagged,
        / NO Login failed\.\r\n$/,
      );
    } finally {
      c.close();
    }
  });

  test('a certificate without the TLS_EXTERNAL field: not advertised, refused', async () => {
    const { c, greeting } = await imaps(server, pki.certs.nofield);
    try {
      assert.doesNotMatch(greeting, /AUTH=EXTERNAL/);
      assert.match((await c.command('AUTHENTICATE EXTERNAL =')).tagged, / NO Login failed\.\r\n$/);
    } finally {
      c.close();
    }
  });

  test('authorization identity: a different one, or any in the continuation, is refused', async () => {
    const { c, greeting } = await imaps(server, pki.certs.good);
    try {
      assert.match(greeting, / ACL ACL2=UNION AUTH=EXTERNAL ENABLE UTF8=ACCEPT /);
      assert.match(
        (await c.command(`AUTHENTICATE EXTERNAL ${b64('other')}`)).tagged,
        / NO Login failed\.\r\n$/,
      );
      // Courier accepts only an empty answer to the empty challenge, even the matching identity not
      const tag = c.nextTag();
      c.send(`${tag} AUTHENTICATE EXTERNAL`);
      assert.equal((await c.until(tag, true)).tagged, '+ \r\n');
      c.send(b64('testuser'));
      assert.equal((await c.until(tag)).tagged, `${tag} NO Login failed.\r\n`);
      // `*` aborts
      const t2 = c.nextTag();
      c.send(`${t2} AUTHENTICATE EXTERNAL`);
      assert.equal((await c.until(t2, true)).tagged, '+ \r\n');
      c.send('*');
      assert.equal((await c.until(t2)).tagged, `${t2} NO Login failed.\r\n`);
    } finally {
      c.close();
    }
  });

  test('a certificate naming no account: refused', async () => {
    const { c, greeting } = await imaps(server, pki.certs.stranger);
    try {
      assert.match(greeting, /AUTH=EXTERNAL/);
      assert.match(
        (await c.command(`AUTHENTICATE EXTERNAL ${b64('nosuchuser')}`)).tagged,
        / NO Login failed\.\r\n$/,
      );
    } finally {
      c.close();
    }
  });

  test('success: the mailbox is served, as the account, AUTH=EXTERNAL stays advertised', async () => {
    const { c } = await imaps(server, pki.certs.good);
    try {
      assert.match(await capability(c), / AUTH=PLAIN ACL ACL2=UNION AUTH=EXTERNAL ENABLE /);
      const tag = c.nextTag();
      c.send(`${tag} AUTHENTICATE EXTERNAL`);
      assert.equal((await c.until(tag, true)).tagged, '+ \r\n');
      c.send('');
      assert.equal((await c.until(tag)).tagged, `${tag} OK LOGIN Ok.\r\n`);
      assert.ok(
        await server.logs.waitFor((e) =>
          /^LOGIN, user=testuser, ip=\[[^\]]+\], port=\[\d+\], protocol=IMAP$/.test(e.msg),
        ),
      );
      const sel = await c.command('SELECT INBOX');
      assert.equal(sel.status, 'OK', sel.tagged);
      assert.ok(sel.responses.some((l) => /^\* \d+ EXISTS\r\n$/.test(l)));
      assert.match(await capability(c), / AUTH=EXTERNAL ENABLE /);
      if (isRoot()) assert.deepEqual(childUids(server.pid), [server.user.system.uid]);
      assert.equal((await c.command('LOGOUT')).status, 'OK');
    } finally {
      c.close();
    }
  });

  test('an initial response equal to the certificate id logs in too (SASL-IR)', async () => {
    const { c } = await imaps(server, pki.certs.good);
    try {
      assert.equal((await c.command(`AUTHENTICATE EXTERNAL ${b64('testuser')}`)).status, 'OK');
      assert.equal((await c.command('EXAMINE INBOX')).status, 'OK');
    } finally {
      c.close();
    }
  });

  test('after STARTTLS with a certificate: advertised and accepted', async () => {
    const plain = await ImapClient.connect(server.port);
    assert.doesNotMatch(await plain.greeting(), /AUTH=EXTERNAL/);
    assert.equal((await plain.command('STARTTLS')).status, 'OK');
    const c = TlsImapClient.over(await tlsHandshake({ socket: plain.socket }, pki.certs.good));
    try {
      const caps = await capability(c);
      assert.match(caps, / AUTH=EXTERNAL ENABLE /);
      assert.doesNotMatch(caps, /STARTTLS/);
      assert.equal((await c.command(`AUTHENTICATE EXTERNAL ${b64('testuser')}`)).tagged.split(' ')[1], 'OK');
      assert.equal((await c.command('SELECT INBOX')).status, 'OK');
    } finally {
      c.close();
    }
  });

  test('after STARTTLS without a certificate: not advertised', async () => {
    const plain = await ImapClient.connect(server.port);
    await plain.greeting();
    assert.equal((await plain.command('STARTTLS')).status, 'OK');
    const c = TlsImapClient.over(await tlsHandshake({ socket: plain.socket }));
    try {
      assert.doesNotMatch(await capability(c), /AUTH=EXTERNAL/);
      assert.match((await c.command('AUTHENTICATE EXTERNAL')).tagged, / NO Login failed\.\r\n$/);
    } finally {
      c.close();
    }
  });
});
