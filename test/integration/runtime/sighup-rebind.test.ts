// SIGHUP rebinds the listeners when PORT / SSLPORT change in the files: the new port answers, the old
// one is closed, a session in progress goes on; a port that cannot be bound keeps the old listeners.
import assert from 'node:assert/strict';
import { appendFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { connect as tlsConnect } from 'node:tls';
import type { LogEntry } from '../../support/logs.js';
import { freePort, ImapClient, Pop3Client, portOpen } from '../../support/net.js';
import { startServer } from '../../support/server.js';
import { startPop3d } from '../pop3d/helpers.js';

const reloadDone = (e: LogEntry): boolean =>
  /^SIGHUP: (no longer listening|cannot listen|configuration has errors)/.test(e.msg) ||
  /keeping the old listeners/.test(e.msg);

function tlsGreeting(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const t = tlsConnect({ port, host: '127.0.0.1', rejectUnauthorized: false });
    t.setEncoding('latin1');
    t.once('data', (d: string) => {
      t.destroy();
      resolve(d);
    });
    t.once('error', reject);
  });
}

describe('SIGHUP rebinds listeners (bin/pop3d run)', () => {
  test('PORT changed: new port answers, old port refused, the session in progress goes on', async () => {
    const server = await startPop3d();
    try {
      const old = server.port;
      const a = await Pop3Client.connect(old);
      assert.match(await a.greeting(), /^\+OK/);
      const next = await freePort();
      await appendFile(join(server.configDir, 'pop3d'), `PORT=${next}\n`);
      const seen = server.logs.entries.length;
      process.kill(server.pid, 'SIGHUP');
      await server.logs.waitFor((e) => server.logs.entries.indexOf(e) >= seen && reloadDone(e));
      const opened = server.logs.entries.find(
        (e) => e.msg === `SIGHUP: now listening on 127.0.0.1 port ${next}`,
      );
      assert.ok(opened, `opened logged:\n${server.logs.text()}`);
      assert.equal(opened.json?.port, next);
      assert.ok(
        server.logs.entries.some((e) => e.msg === `SIGHUP: no longer listening on 127.0.0.1 port ${old}`),
      );

      const b = await Pop3Client.connect(next);
      assert.match(await b.greeting(), /^\+OK/);
      b.close();
      assert.equal(await portOpen(old), false, 'old port closed');
      // The TLS listener did not change and still answers.
      assert.match(await tlsGreeting(server.tlsPort!), /^\+OK/);
      // The connection accepted on the old port is still served.
      assert.match(await a.command('CAPA'), /^\+OK/);
      assert.match(await a.command('QUIT'), /^\+OK/);
      a.close();
    } finally {
      await server.stop();
    }
  });

  test('SSLPORT changed: the implicit-TLS listener moves, the plain one stays', async () => {
    const server = await startPop3d();
    try {
      const next = await freePort();
      await appendFile(join(server.configDir, 'pop3d-ssl'), `SSLPORT=${next}\n`);
      const seen = server.logs.entries.length;
      process.kill(server.pid, 'SIGHUP');
      await server.logs.waitFor((e) => server.logs.entries.indexOf(e) >= seen && reloadDone(e));
      assert.match(await tlsGreeting(next), /^\+OK/);
      assert.equal(await portOpen(server.tlsPort!), false);
      const c = await Pop3Client.connect(server.port);
      assert.match(await c.greeting(), /^\+OK/);
      c.close();
    } finally {
      await server.stop();
    }
  });

  test('a port that cannot be bound: error logged, old listeners kept', async () => {
    const server = await startPop3d({}, { allowErrors: [/SIGHUP: cannot listen on 127\.0\.0\.1:\d+/] });
    const blocker: Server = createServer();
    try {
      await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
      const taken = (blocker.address() as { port: number }).port;
      const spare = await freePort();
      // Two new ports, the second taken: the first must not stay open either.
      await appendFile(join(server.configDir, 'pop3d'), `PORT=${spare},${taken}\n`);
      const seen = server.logs.entries.length;
      process.kill(server.pid, 'SIGHUP');
      await server.logs.waitFor((e) => server.logs.entries.indexOf(e) >= seen && reloadDone(e));
      const err = server.logs.entries.find((e) => e.level >= 50);
      assert.ok(err, `error logged:\n${server.logs.text()}`);
      assert.match(
        err.msg,
        new RegExp(`cannot listen on 127\\.0\\.0\\.1:${taken}: .*keeping the old listeners`),
      );
      assert.equal(await portOpen(spare), false, 'nothing left on the new port that did bind');
      const c = await Pop3Client.connect(server.port);
      assert.match(await c.greeting(), /^\+OK/);
      c.close();
    } finally {
      blocker.close();
      await server.stop();
    }
  });

  test('bin/imapd: PORT changed, the same', async () => {
    const server = await startServer({ kind: 'imapd', maildir: { fixture: 'pop3' } });
    assert.equal(server.status, 'running');
    if (server.status !== 'running') return;
    try {
      const next = await freePort();
      await appendFile(join(server.configDir, 'imapd'), `PORT=${next}\n`);
      const seen = server.logs.entries.length;
      process.kill(server.pid, 'SIGHUP');
      await server.logs.waitFor((e) => server.logs.entries.indexOf(e) >= seen && reloadDone(e));
      const c = await ImapClient.connect(next);
      assert.match(await c.greeting(), /^\* OK/);
      c.close();
      assert.equal(await portOpen(server.port), false);
    } finally {
      await server.stop();
    }
  });
});
