// As root, a login whose session cannot be started (the worker cannot take the account's uid) fails
// as temporary, in each protocol's words, and the connection ends: the client is not left waiting
// for a reply to its login command. The listener goes on serving.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { TEST_PASSWORD, writeConfigDir } from '../../support/config-dir.js';
import { createMaildir } from '../../support/maildir-fixture.js';
import { freePort, ImapClient, Pop3Client } from '../../support/net.js';
import { type RunningServer, startServer } from '../../support/server.js';
import { makeSelfSignedPem } from '../../support/tls.js';
import { makeTempDir } from '../../support/tmp.js';
import { isRoot } from '../../support/users.js';

/** No process can become uid/gid 2^32 - 1 ((uid_t) -1): the worker's switch fails. */
const IMPOSSIBLE_ID = 4294967295;

async function serverWithBadAccount(kind: 'imapd' | 'pop3d', run: (s: RunningServer) => Promise<void>) {
  const tmp = await makeTempDir(`courier-ts-${kind}-launch-`);
  try {
    const etc = join(tmp.path, 'etc');
    await mkdir(etc);
    const home = join(tmp.path, 'home');
    await createMaildir(join(home, 'Maildir'));
    const [plain, tls] = [await freePort(), await freePort()];
    await writeConfigDir({
      dir: etc,
      ports: kind === 'imapd' ? { imap: plain, imaps: tls } : { pop3: plain, pop3s: tls },
      certFile: await makeSelfSignedPem(etc),
      accounts: [
        { name: 'nobodyhere', uid: IMPOSSIBLE_ID, gid: IMPOSSIBLE_ID, home, maildir: join(home, 'Maildir') },
      ],
    });
    const server = await startServer({
      kind,
      configDir: etc,
      ports: { plain, tls },
      allowErrors: [/cannot start the session of user=nobodyhere/],
    });
    if (server.status !== 'running') throw new Error(server.reason);
    try {
      await run(server);
      assert.ok(await server.logs.waitFor((e) => /cannot start the session of user=nobodyhere/.test(e.msg)));
    } finally {
      await server.stop();
    }
  } finally {
    await tmp.dispose();
  }
}

describe('a session that cannot be started', { skip: !isRoot() && 'needs root' }, () => {
  test('imapd: LOGIN gets NO [UNAVAILABLE] and BYE, and the server goes on', async () => {
    await serverWithBadAccount('imapd', async (server) => {
      for (let round = 0; round < 2; round++) {
        const c = await ImapClient.connect(server.port);
        try {
          await c.greeting();
          const r = await c.command(`LOGIN nobodyhere ${TEST_PASSWORD}`);
          assert.deepEqual(r.responses, [
            't1 NO [UNAVAILABLE] Temporary problem, please try again later\r\n',
          ]);
          const rest = await c.until('none');
          assert.deepEqual(rest.responses, ['* BYE Temporary problem, please try again later\r\n']);
          assert.equal(rest.status, 'BYE', 'the connection is closed');
        } finally {
          c.close();
        }
      }
    });
  });

  test('pop3d: PASS gets -ERR Temporary problem, and the server goes on', async () => {
    await serverWithBadAccount('pop3d', async (server) => {
      for (let round = 0; round < 2; round++) {
        const c = await Pop3Client.connect(server.port);
        try {
          await c.greeting();
          await c.command('USER nobodyhere');
          assert.equal(
            await c.command(`PASS ${TEST_PASSWORD}`),
            '-ERR Temporary problem, please try again later\r\n',
          );
        } finally {
          c.close();
        }
      }
    });
  });
});
