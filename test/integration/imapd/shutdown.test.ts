// SIGTERM: a logged-in session says Courier's goodbye and the log gets Courier's NOTICE line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ImapClient } from '../../support/net.js';
import { startServer } from '../../support/server.js';

test('SIGTERM ends logged-in sessions with "* BYE Courier-IMAP server shut down by signal."', async () => {
  const s = await startServer({ kind: 'imapd', maildir: { fixture: 'basic' } });
  if (s.status !== 'running') throw new Error(`imapd not runnable: ${s.reason}`);
  const c = await ImapClient.connect(s.port);
  try {
    await c.greeting();
    assert.equal((await c.command(`LOGIN ${s.user.name} ${s.user.password}`)).status, 'OK');
    assert.equal((await c.command('SELECT INBOX')).status, 'OK');
    const stopping = s.stop();
    const lines: string[] = [];
    for (let l = await c.readLine(); l !== undefined; l = await c.readLine()) lines.push(l);
    await stopping;
    assert.deepEqual(lines, ['* BYE Courier-IMAP server shut down by signal.\r\n']);
    assert.match(s.logs.text(), /Disconnected during shutdown by signal, user=testuser/);
  } finally {
    c.close();
  }
});
