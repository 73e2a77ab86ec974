// AUTH EXTERNAL with real TLS client certificates (TLS_VERIFYPEER=PEER, TLS_TRUSTCERTS,
// TLS_EXTERNAL=emailaddress), on the SSL port and after STLS. Expected replies and log lines are
// what Courier 5.0.13 (Debian 12, couriertls on GnuTLS) answers to the same sessions.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TLSSocket } from 'node:tls';
import {
  type ClientCert,
  type ClientCertSet,
  makeClientCerts,
  tlsHandshake,
} from '../../support/client-certs.js';
import { Pop3Client } from '../../support/net.js';
import type { RunningServer } from '../../support/server.js';
import { makeTempDir, type TempDir } from '../../support/tmp.js';
import { childUids, isRoot } from '../../support/users.js';
import { startPop3d } from './helpers.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

/** A Pop3Client over an already connected TLS socket. */
class TlsPop3Client extends Pop3Client {
  static over(socket: TLSSocket): Pop3Client {
    return new TlsPop3Client(socket, 15_000);
  }
}

async function pop3s(server: RunningServer, cert?: ClientCert): Promise<Pop3Client> {
  const c = TlsPop3Client.over(await tlsHandshake({ port: server.tlsPort! }, cert));
  assert.equal(await c.greeting(), '+OK Hello there.\r\n');
  return c;
}

const CAPA_TAIL =
  'TOP\r\nUSER\r\nLOGIN-DELAY 10\r\nPIPELINING\r\nUIDL\r\nUTF8 USER\r\nIMPLEMENTATION Courier Mail Server\r\n.\r\n';
const CAPA_HEAD = "+OK Here's what I can do:\r\n";

describe('pop3d AUTH EXTERNAL (TLS client certificates)', () => {
  let tmp: TempDir;
  let pki: ClientCertSet<'good' | 'nofield'>;
  let server: RunningServer;
  before(async () => {
    tmp = await makeTempDir('courier-ts-pop3-external-');
    pki = await makeClientCerts(tmp.path, {
      good: '/CN=Test User/emailAddress=testuser',
      nofield: '/CN=testuser',
    });
    server = await startPop3d({
      'pop3d-ssl': ['TLS_VERIFYPEER=PEER', `TLS_TRUSTCERTS=${pki.caFile}`, 'TLS_EXTERNAL=emailaddress'],
    });
  });
  after(async () => {
    await server?.stop();
    await tmp?.dispose();
  });

  const failedLines = (): number =>
    server.logs.entries.filter((e) => /^LOGIN FAILED, method=EXTERNAL, ip=\[/.test(e.msg)).length;

  test('no certificate: no SASL line, AUTH EXTERNAL fails with the LOGIN FAILED line', async () => {
    const c = await pop3s(server);
    try {
      assert.equal(await c.command('CAPA'), CAPA_HEAD + CAPA_TAIL);
      const before = failedLines();
      assert.equal(await c.command('AUTH EXTERNAL'), '-ERR Authentication failed.\r\n');
      assert.ok(await server.logs.waitFor(() => failedLines() > before));
    } finally {
      c.close();
    }
  });

  test('plain connection: no SASL line, AUTH EXTERNAL fails', async () => {
    const c = await Pop3Client.connect(server.port);
    try {
      await c.greeting();
      assert.doesNotMatch(await c.command('CAPA'), /EXTERNAL/);
      assert.equal(await c.command(`AUTH EXTERNAL ${b64('testuser')}`), '-ERR Authentication failed.\r\n');
    } finally {
      c.close();
    }
  });

  test('a certificate without the TLS_EXTERNAL field: not advertised, fails', async () => {
    const c = await pop3s(server, pki.certs.nofield);
    try {
      assert.equal(await c.command('CAPA'), CAPA_HEAD + CAPA_TAIL);
      assert.equal(await c.command(`AUTH EXTERNAL ${b64('testuser')}`), '-ERR Authentication failed.\r\n');
    } finally {
      c.close();
    }
  });

  test('authorization identity: a different one fails, `*` or any identity in the answer aborts', async () => {
    const c = await pop3s(server, pki.certs.good);
    try {
      assert.equal(await c.command('CAPA'), `${CAPA_HEAD}SASL EXTERNAL\r\n${CAPA_TAIL}`);
      assert.equal(await c.command(`AUTH EXTERNAL ${b64('other')}`), '-ERR Authentication failed.\r\n');
      assert.equal(await c.command('AUTH EXTERNAL'), '+ \r\n');
      assert.equal(await c.command('*'), '-ERR Authentication aborted.\r\n');
      assert.equal(await c.command('AUTH EXTERNAL'), '+ \r\n');
      assert.equal(await c.command(b64('testuser')), '-ERR Authentication aborted.\r\n');
      assert.equal(await c.command('AUTH EXTERNAL ***'), '-ERR Authentication aborted.\r\n');
      assert.equal(
        await c.command('AUTH EXTERNAL dGVzdHVzZXI'),
        '-ERR Authentication aborted.\r\n',
        'unpadded',
      );
      assert.equal(failedLines() >= 4, true);
    } finally {
      c.close();
    }
  });

  test('success (`=`, then an empty answer): the maildrop is served, as the account', async () => {
    const c = await pop3s(server, pki.certs.good);
    try {
      assert.equal(await c.command('AUTH EXTERNAL ='), '+ \r\n');
      assert.equal(await c.command(''), '+OK logged in.\r\n');
      assert.ok(
        await server.logs.waitFor((e) => /^LOGIN, user=testuser, ip=\[[^\]]+\], port=\[\d+\]$/.test(e.msg)),
      );
      assert.match(await c.command('STAT'), /^\+OK \d+ \d+\r\n$/);
      assert.match(await c.command('CAPA'), /\r\nSASL EXTERNAL\r\n/);
      if (isRoot()) assert.deepEqual(childUids(server.pid), [server.user.system.uid]);
      assert.equal(await c.command('QUIT'), '+OK Bye-bye.\r\n');
    } finally {
      c.close();
    }
  });

  test('after STLS with a certificate: advertised; the initial response logs in', async () => {
    const plain = await Pop3Client.connect(server.port);
    await plain.greeting();
    assert.doesNotMatch(await plain.command('CAPA'), /EXTERNAL/);
    assert.equal(await plain.command('STLS'), '+OK Begin SSL/TLS negotiation now.\r\n');
    const c = TlsPop3Client.over(await tlsHandshake({ socket: plain.socket }, pki.certs.good));
    try {
      assert.equal(await c.command('CAPA'), `${CAPA_HEAD}SASL EXTERNAL\r\n${CAPA_TAIL}`);
      assert.equal(await c.command(`AUTH EXTERNAL ${b64('testuser')}`), '+OK logged in.\r\n');
      assert.match(await c.command('LIST 1'), /^\+OK 1 \d+\r\n$/);
    } finally {
      c.close();
    }
  });
});
