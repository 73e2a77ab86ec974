// Passwords and SASL data never reach the log, at any level, on any path (modules, chain, daemon
// server, daemon client, CRAM).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createAuthenticator, md5Crypt, startAuthdaemonServer } from '@courier-ts/authlib';
import { pino } from 'pino';

test('no password, new password or CRAM digest in trace-level logs', async () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  const log = pino({ level: 'trace' }, sink);
  const dir = mkdtempSync(join(tmpdir(), 'nosecrets-'));
  const SECRET = 'Sup3rSecretPw';
  const WRONG = 'WrongGuessPw9';
  const NEWPW = 'BrandNewPw77';
  writeFileSync(join(dir, 'authdaemonrc'), 'authmodulelist="authuserdb"\n');
  writeFileSync(
    join(dir, 'userdb'),
    `u@x\tuid=10|gid=10|home=/h|systempw=${md5Crypt(Buffer.from(SECRET), '$1$abc')}\n`,
    {
      mode: 0o600,
    },
  );
  const backend = await createAuthenticator({ configDir: dir, env: {}, log });
  const server = await startAuthdaemonServer({
    authenticator: backend,
    socketPath: join(dir, 'socket'),
    log,
  });
  const front = await createAuthenticator({
    configDir: dir,
    env: {},
    log,
    modules: ['authdaemon'],
    authdaemonSocket: join(dir, 'socket'),
  });
  try {
    for (const a of [backend, front]) {
      for (const password of [SECRET, WRONG]) {
        await a.authenticate({
          service: 'imap',
          credentials: { mechanism: 'login', user: 'u@x', password },
          remoteIp: '::1',
        });
      }
      await a.authenticate({
        service: 'imap',
        credentials: { mechanism: 'cram-md5', user: 'u@x', challenge: '<1@h>', response: 'deadbeefcafe' },
      });
      await a.changePassword('imap', 'u@x', WRONG, NEWPW);
      await a.lookup('imap', 'nobody');
    }
    assert.ok(lines.length > 5, 'something was logged');
    const all = lines.join('');
    for (const s of [SECRET, WRONG, NEWPW, 'deadbeefcafe'])
      assert.equal(all.includes(s), false, `${s} leaked`);
  } finally {
    await front.close();
    await server.close();
    await backend.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
