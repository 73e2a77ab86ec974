// SIGHUP applies MAXPERIP / MAXDAEMONS changed in the files (bin/pop3d run, bin/imapd run): new
// connections get the new limit, the sessions in progress go on.
import assert from 'node:assert/strict';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { LogEntry } from '../../support/logs.js';
import { ImapClient, Pop3Client } from '../../support/net.js';
import type { RunningServer } from '../../support/server.js';
import { startServer } from '../../support/server.js';
import { startPop3d } from '../pop3d/helpers.js';

const limitsApplied =
  (seen: number, server: RunningServer) =>
  (e: LogEntry): boolean =>
    server.logs.entries.indexOf(e) >= seen && /^SIGHUP: MAXDAEMONS=/.test(e.msg);

/** Resolves with the greeting, or '' when the server closed the connection without one. */
async function greetingOrClose(connect: () => Promise<{ greeting(): Promise<string> }>): Promise<string> {
  const c = await connect();
  return c.greeting();
}

describe('SIGHUP applies new MAXDAEMONS / MAXPERIP', () => {
  test('bin/pop3d: MAXPERIP lowered to 1; the open session goes on, a second one is refused', async () => {
    const server = await startPop3d();
    try {
      const a = await Pop3Client.connect(server.port);
      assert.match(await a.greeting(), /^\+OK/);
      const b = await Pop3Client.connect(server.port);
      assert.match(await b.greeting(), /^\+OK/, 'MAXPERIP is not 1 yet');
      b.close();
      await appendFile(join(server.configDir, 'pop3d'), 'MAXPERIP=1\n');
      const seen = server.logs.entries.length;
      process.kill(server.pid, 'SIGHUP');
      const applied = await server.logs.waitFor(limitsApplied(seen, server));
      assert.equal(applied?.json?.maxPerIp, 1, server.logs.text());
      // b's slot is freed once its close is seen: wait for a refusal, not for a timer.
      let refused = '';
      for (let i = 0; i < 50 && refused === ''; i++) {
        const g = await greetingOrClose(() => Pop3Client.connect(server.port));
        if (g === '') refused = 'closed';
        else await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(refused, 'closed', 'a second connection from 127.0.0.1 is closed');
      const alert = await server.logs.waitFor((e) => /Maximum connection limit reached/.test(e.msg));
      assert.ok(alert, `refusal logged:\n${server.logs.text()}`);
      assert.match(await a.command('STAT'), /^\+OK|^-ERR/, 'the session in progress still answers');
      assert.match(await a.command('QUIT'), /^\+OK/);
      a.close();
      // With the first one gone, there is room for one again.
      let greeting = '';
      for (let i = 0; i < 50 && !greeting.startsWith('+OK'); i++) {
        greeting = await greetingOrClose(() => Pop3Client.connect(server.port));
        if (!greeting.startsWith('+OK')) await new Promise((r) => setTimeout(r, 20));
      }
      assert.match(greeting, /^\+OK/);
    } finally {
      await server.stop();
    }
  });

  test('bin/imapd: MAXDAEMONS lowered to 1; a second connection waits without a greeting', async () => {
    const server = await startServer({ kind: 'imapd', maildir: { fixture: 'pop3' } });
    assert.equal(server.status, 'running');
    if (server.status !== 'running') return;
    try {
      const a = await ImapClient.connect(server.port);
      assert.match(await a.greeting(), /^\* OK/);
      await appendFile(join(server.configDir, 'imapd'), 'MAXDAEMONS=1\n');
      const seen = server.logs.entries.length;
      process.kill(server.pid, 'SIGHUP');
      const applied = await server.logs.waitFor(limitsApplied(seen, server));
      assert.equal(applied?.json?.maxDaemons, 1, server.logs.text());
      const b = await ImapClient.connect(server.port, '127.0.0.1', 500);
      await assert.rejects(b.greeting(), 'no greeting while the only slot is taken');
      b.close();
      const t = await a.command('NOOP');
      assert.equal(t.status, 'OK', 'the session in progress goes on');
      await a.command('LOGOUT');
      a.close();
    } finally {
      await server.stop();
    }
  });
});
