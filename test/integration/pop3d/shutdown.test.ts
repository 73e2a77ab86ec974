// SIGTERM ends logged-in and not-yet-logged-in sessions cleanly: Courier's shutdown line, no deletion.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Pop3Client } from '../../support/net.js';
import { startPop3d } from './helpers.js';

describe('pop3d shutdown', () => {
  test('SIGTERM: sessions are closed, DELE not applied, the server exits 0', async () => {
    const server = await startPop3d();
    const a = await Pop3Client.connect(server.port);
    await a.greeting();
    await a.command('USER testuser');
    assert.equal(await a.command('PASS testpass'), '+OK logged in.\r\n');
    assert.equal(await a.command('DELE 1'), '+OK Deleted.\r\n');
    const b = await Pop3Client.connect(server.port);
    await b.greeting();
    const t0 = Date.now();
    await server.stop();
    assert.ok(Date.now() - t0 < 8000, 'stopped promptly');
    assert.equal(await a.readLine(), undefined);
    assert.equal(await b.readLine(), undefined);
    assert.ok(
      server.logs.entries.some((e) => e.msg === 'Disconnected during shutdown by signal, user=testuser'),
    );
    assert.ok(!server.logs.entries.some((e) => /^LOGOUT, user=/.test(e.msg)), 'no UPDATE state');
  });
});
