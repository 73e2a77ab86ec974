// SIGHUP on a running bin/pop3d: the settings as the files are now apply to every connection from then
// on (session limits and timeouts, LOGIN-DELAY, TLS_* such as TLS_EXTERNAL); a session already open
// keeps the settings it started with.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TLSSocket } from 'node:tls';
import { type ClientCertSet, makeClientCerts, tlsHandshake } from '../../support/client-certs.js';
import { Pop3Client } from '../../support/net.js';
import { hangUp, type RunningServer } from '../../support/server.js';
import { makeTempDir, type TempDir } from '../../support/tmp.js';
import { startPop3d } from './helpers.js';

/** A Pop3Client over an already connected TLS socket. */
class TlsPop3Client extends Pop3Client {
  static over(socket: TLSSocket): Pop3Client {
    return new TlsPop3Client(socket, 15_000);
  }
}

/** CAPA of a new connection (before login) on the plain port, or through `open`. */
async function capa(open: () => Promise<Pop3Client>): Promise<string> {
  const c = await open();
  try {
    return await c.command('CAPA');
  } finally {
    c.close();
  }
}

async function loggedIn(server: RunningServer): Promise<Pop3Client> {
  const c = await Pop3Client.connect(server.port);
  await c.greeting();
  assert.equal(await c.command('USER testuser'), '+OK Password required.\r\n');
  assert.equal(await c.command('PASS testpass'), '+OK logged in.\r\n');
  return c;
}

/** Send `n` invalid commands, each answered `-ERR Invalid command.` */
async function invalid(c: Pop3Client, n: number): Promise<void> {
  for (let i = 0; i < n; i++) assert.equal(await c.command('BOGUS'), '-ERR Invalid command.\r\n');
}

describe('pop3d SIGHUP: new settings for new connections', () => {
  test('COURIER_TS_MAX_BAD_COMMANDS, COURIER_TS_IDLE_TIMEOUT, COURIER_TS_LOGIN_DELAY', async () => {
    const server = await startPop3d();
    try {
      const old = await loggedIn(server);
      await appendFile(
        join(server.configDir, 'pop3d'),
        'COURIER_TS_MAX_BAD_COMMANDS=3\nCOURIER_TS_IDLE_TIMEOUT=1\nCOURIER_TS_LOGIN_DELAY=30\n',
      );
      const plain = async (): Promise<Pop3Client> => {
        const c = await Pop3Client.connect(server.port);
        await c.greeting();
        return c;
      };
      await hangUp(server, async () => /\r\nLOGIN-DELAY 30\r\n/.test(await capa(plain)));

      // A new connection: the third invalid command in a row ends it.
      const fresh = await plain();
      await invalid(fresh, 3);
      assert.equal(await fresh.readLine(), '-ERR Too many invalid commands.\r\n');
      assert.equal(await fresh.readLine(), undefined);
      fresh.close();

      // Logged in after the SIGHUP: the one-second idle timeout ends it without a word from the client.
      const idle = await loggedIn(server);
      const closed = once(idle.socket, 'close');
      assert.match(await idle.command('STAT'), /^\+OK \d+ \d+\r\n$/);
      await closed;
      // ... and LOGIN-DELAY is enforced from now on: the next login of the account is too soon.
      const again = await Pop3Client.connect(server.port);
      await again.greeting();
      await again.command('USER testuser');
      assert.equal(
        await again.command('PASS testpass'),
        '-ERR [LOGIN-DELAY] Too soon since the last login, try again later.\r\n',
      );
      again.close();

      // The session opened before the SIGHUP keeps its own limit (50 invalid commands) and timeout.
      await invalid(old, 5);
      assert.match(await old.command('STAT'), /^\+OK \d+ \d+\r\n$/);
      assert.equal(await old.command('QUIT'), '+OK Bye-bye.\r\n');
      old.close();
    } finally {
      await server.stop();
    }
  });

  describe('TLS_EXTERNAL added by a SIGHUP', () => {
    let tmp: TempDir;
    let pki: ClientCertSet<'good'>;
    let server: RunningServer;
    before(async () => {
      tmp = await makeTempDir('courier-ts-pop3-hup-');
      pki = await makeClientCerts(tmp.path, { good: '/CN=Test User/emailAddress=testuser' });
      server = await startPop3d({
        'pop3d-ssl': ['TLS_VERIFYPEER=PEER', `TLS_TRUSTCERTS=${pki.caFile}`],
      });
    });
    after(async () => {
      await server?.stop();
      await tmp?.dispose();
    });

    const pop3s = async (): Promise<Pop3Client> => {
      const c = TlsPop3Client.over(await tlsHandshake({ port: server.tlsPort! }, pki.certs.good));
      assert.equal(await c.greeting(), '+OK Hello there.\r\n');
      return c;
    };

    test('not offered before; after the SIGHUP the certificate logs in', async () => {
      assert.doesNotMatch(await capa(pop3s), /EXTERNAL/);
      await appendFile(join(server.configDir, 'pop3d-ssl'), 'TLS_EXTERNAL=emailaddress\n');
      await hangUp(server, async () => /\r\nSASL EXTERNAL\r\n/.test(await capa(pop3s)));
      const c = await pop3s();
      try {
        assert.match(await c.command('CAPA'), /\r\nSASL EXTERNAL\r\n/);
        assert.equal(
          await c.command(`AUTH EXTERNAL ${Buffer.from('testuser').toString('base64')}`),
          '+OK logged in.\r\n',
        );
        assert.match(await c.command('STAT'), /^\+OK \d+ \d+\r\n$/);
        assert.equal(await c.command('QUIT'), '+OK Bye-bye.\r\n');
      } finally {
        c.close();
      }
    });
  });
});
