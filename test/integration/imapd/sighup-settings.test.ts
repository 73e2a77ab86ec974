// SIGHUP on a running bin/imapd: the settings as the files are now apply to every connection from then
// on, before login (CAPABILITY, IMAP_TLS_REQUIRED, limits and timeouts, TLS_EXTERNAL) and after it, in
// the account's per-uid worker even when that worker was forked before the SIGHUP (the logged-in
// session's settings travel with each session); a session already open keeps its own.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TLSSocket } from 'node:tls';
import { type ClientCertSet, makeClientCerts, tlsHandshake } from '../../support/client-certs.js';
import { ImapClient } from '../../support/net.js';
import { hangUp, type RunningServer, startRunningServer } from '../../support/server.js';
import { makeTempDir, type TempDir } from '../../support/tmp.js';

/** An ImapClient over an already connected TLS socket. */
class TlsImapClient extends ImapClient {
  static over(socket: TLSSocket): ImapClient {
    return new TlsImapClient(socket, 15_000);
  }
}

const capability = async (c: ImapClient): Promise<string> =>
  (await c.command('CAPABILITY')).responses[0] ?? '';

/** A new plain connection, its greeting read. */
async function plain(server: RunningServer): Promise<{ c: ImapClient; greeting: string }> {
  const c = await ImapClient.connect(server.port);
  return { c, greeting: await c.greeting() };
}

/** CAPABILITY of a new connection before login. */
async function preLoginCapability(server: RunningServer): Promise<string> {
  const { c } = await plain(server);
  try {
    return await capability(c);
  } finally {
    c.close();
  }
}

async function loggedIn(server: RunningServer): Promise<ImapClient> {
  const { c } = await plain(server);
  assert.match((await c.command('LOGIN testuser testpass')).tagged, /^t1 OK LOGIN Ok\.\r\n$/);
  return c;
}

/** Send `n` commands that do not exist, each a protocol violation; returns the last one's replies. */
async function bogus(c: ImapClient, n: number): Promise<string> {
  let last = '';
  for (let i = 0; i < n; i++) last = (await c.command('BOGUS')).responses.join('');
  return last;
}

describe('imapd SIGHUP: new settings for new connections', () => {
  test('CAPABILITY, limits and timeouts, IMAP_KEYWORDS: before login and in a worker forked earlier', async () => {
    const server = await startRunningServer({
      kind: 'imapd',
      maildir: { fixture: 'basic' },
      extraConfig: { imapd: ['COURIER_TS_LOGIN_FAIL_DELAY=50'] },
    });
    try {
      // Logged in before the SIGHUP: as root, the account's worker process exists from now on.
      const old = await loggedIn(server);
      assert.match(await capability(old), / NAMESPACE /);
      assert.match((await old.command('SELECT INBOX')).responses.join(''), /PERMANENTFLAGS \([^)]*\\\*/);

      await appendFile(
        join(server.configDir, 'imapd'),
        [
          'IMAP_CAPABILITY="IMAP4rev1 UIDPLUS CHILDREN AUTH=CRAM-MD5"',
          'IMAP_KEYWORDS=0',
          'COURIER_TS_MAX_BAD_COMMANDS=3',
          'COURIER_TS_IDLE_TIMEOUT=1',
          'COURIER_TS_PRELOGIN_TIMEOUT=1',
          // Fixed at start (the process's umask): said, not applied.
          'IMAP_UMASK=077',
          '',
        ].join('\n'),
      );
      await hangUp(server, async () => / AUTH=CRAM-MD5 /.test(await preLoginCapability(server)));
      const umask = await server.logs.waitFor((e) => /^SIGHUP: IMAP_UMASK changed;/.test(e.msg));
      assert.equal(umask?.level, 40);

      // Before login: the greeting and CAPABILITY carry the new list.
      const fresh = await plain(server);
      assert.doesNotMatch(fresh.greeting, /NAMESPACE|IDLE/);
      assert.match(fresh.greeting, /\[CAPABILITY IMAP4rev1 UIDPLUS CHILDREN AUTH=CRAM-MD5 /);
      // ... the third violation in a row ends the connection ...
      assert.match(await bogus(fresh.c, 3), /^t3 NO Error in IMAP command received by server\.\r\n$/);
      assert.match(await fresh.c.greeting(), /^\* BYE \[ALERT\] Fatal error: TOO MANY CONSECUTIVE/);
      assert.equal(await fresh.c.greeting(), '');
      fresh.c.close();
      // ... and so does one second without logging in.
      const slow = await plain(server);
      await once(slow.c.socket, 'close');

      // After login, in the worker forked before the SIGHUP: the new CAPABILITY, no keywords, and a
      // one-second autologout.
      const c = await loggedIn(server);
      const closed = once(c.socket, 'close');
      const cap = await capability(c);
      assert.match(cap, /^\* CAPABILITY IMAP4rev1 UIDPLUS CHILDREN /);
      assert.doesNotMatch(cap, /NAMESPACE|IDLE/);
      const selected = (await c.command('SELECT INBOX')).responses.join('');
      assert.match(selected, /PERMANENTFLAGS \(/);
      assert.doesNotMatch(selected, /PERMANENTFLAGS \([^)]*\\\*/);
      await closed;

      // The session opened before the SIGHUP keeps its own settings: CAPABILITY, keywords, limit of 10.
      assert.match(await capability(old), / NAMESPACE /);
      assert.doesNotMatch(await bogus(old, 5), /BYE/);
      assert.match((await old.command('NOOP')).tagged, /^t\d+ OK /);
      assert.match((await old.command('LOGOUT')).tagged, /^t\d+ OK /);
      old.close();
    } finally {
      await server.stop();
    }
  });

  test('IMAP_TLS_REQUIRED: LOGINDISABLED on the plain port for new connections', async () => {
    const server = await startRunningServer({
      kind: 'imapd',
      maildir: { fixture: 'basic' },
      extraConfig: { imapd: ['COURIER_TS_LOGIN_FAIL_DELAY=50', 'IMAPDSTARTTLS=YES'] },
    });
    try {
      const old = await plain(server);
      assert.doesNotMatch(old.greeting, /LOGINDISABLED/);
      await appendFile(join(server.configDir, 'imapd-ssl'), 'IMAP_TLS_REQUIRED=1\n');
      await hangUp(server, async () => / LOGINDISABLED /.test(await preLoginCapability(server)));
      const { c, greeting } = await plain(server);
      try {
        assert.match(greeting, / STARTTLS LOGINDISABLED /);
        assert.match((await c.command('LOGIN testuser testpass')).tagged, /^t1 NO /);
      } finally {
        c.close();
      }
      // The connection made before the SIGHUP may still log in.
      assert.match((await old.c.command('LOGIN testuser testpass')).tagged, /^t1 OK LOGIN Ok\.\r\n$/);
      old.c.close();
    } finally {
      await server.stop();
    }
  });

  test('a configuration with errors: the old settings stay', async () => {
    const server = await startRunningServer({
      kind: 'imapd',
      maildir: { fixture: 'basic' },
      extraConfig: { imapd: ['COURIER_TS_LOGIN_FAIL_DELAY=50'] },
    });
    try {
      const before = await preLoginCapability(server);
      assert.match(before, / NAMESPACE /);
      // An unterminated quote: the file does not parse.
      await appendFile(join(server.configDir, 'imapd'), 'IMAP_CAPABILITY="IMAP4rev1 AUTH=CRAM-MD5\n');
      const seen = server.logs.entries.length;
      process.kill(server.pid, 'SIGHUP');
      const warned = await server.logs.waitFor(
        (e) => server.logs.entries.indexOf(e) >= seen && /^SIGHUP: configuration has errors/.test(e.msg),
      );
      assert.equal(warned?.level, 40);
      assert.equal(await preLoginCapability(server), before);
      const c = await loggedIn(server);
      try {
        assert.match(await capability(c), / NAMESPACE /);
      } finally {
        c.close();
      }
    } finally {
      await server.stop();
    }
  });

  describe('TLS_EXTERNAL added by a SIGHUP', () => {
    let tmp: TempDir;
    let pki: ClientCertSet<'good'>;
    let server: RunningServer;
    before(async () => {
      tmp = await makeTempDir('courier-ts-imap-hup-');
      pki = await makeClientCerts(tmp.path, { good: '/CN=Test User/emailAddress=testuser' });
      server = await startRunningServer({
        kind: 'imapd',
        maildir: { fixture: 'basic' },
        extraConfig: {
          imapd: ['COURIER_TS_LOGIN_FAIL_DELAY=50'],
          'imapd-ssl': ['TLS_VERIFYPEER=PEER', `TLS_TRUSTCERTS=${pki.caFile}`],
        },
      });
    });
    after(async () => {
      await server?.stop();
      await tmp?.dispose();
    });

    const imaps = async (): Promise<ImapClient> => {
      const c = TlsImapClient.over(await tlsHandshake({ port: server.tlsPort! }, pki.certs.good));
      await c.greeting();
      return c;
    };
    const imapsCapability = async (): Promise<string> => {
      const c = await imaps();
      try {
        return await capability(c);
      } finally {
        c.close();
      }
    };

    test('not offered before; after the SIGHUP the certificate logs in', async () => {
      assert.doesNotMatch(await imapsCapability(), /AUTH=EXTERNAL/);
      await appendFile(join(server.configDir, 'imapd-ssl'), 'TLS_EXTERNAL=emailaddress\n');
      await hangUp(server, async () => / AUTH=EXTERNAL /.test(await imapsCapability()));
      const c = await imaps();
      try {
        // Courier's way: the empty challenge, answered with an empty line.
        const tag = c.nextTag();
        c.send(`${tag} AUTHENTICATE EXTERNAL`);
        assert.equal((await c.until(tag, true)).tagged, '+ \r\n');
        c.send('');
        assert.equal((await c.until(tag)).tagged, `${tag} OK LOGIN Ok.\r\n`);
        assert.match((await c.command('SELECT INBOX')).tagged, /^t2 OK /);
        assert.match((await c.command('LOGOUT')).tagged, /^t3 OK /);
      } finally {
        c.close();
      }
    });
  });
});
