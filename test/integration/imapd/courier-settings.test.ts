// Courier settings of issue 6 §5 on a real `imapd run`: keys asking for something courier-ts does not
// implement (IMAP_PROXY, OUTBOX, IMAPDEBUGFILE, SMAP_CAPABILITY) are named in a warning at start,
// never silently ignored; IMAP_LOG_DELETIONS logs Courier's `EXPUNGED` lines with the client's address,
// and IMAP_MOVE_EXPUNGE_TO_TRASH moves an expunged message into Trash over the network too.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ImapClient } from '../../support/net.js';
import { type RunningServer, startRunningServer } from '../../support/server.js';

describe('imapd: Courier settings at start and in a session', () => {
  let server: RunningServer;
  before(async () => {
    server = await startRunningServer({
      kind: 'imapd',
      maildir: { fixture: 'basic' },
      extraConfig: {
        imapd: [
          'IMAP_PROXY=1',
          'OUTBOX=.Outbox',
          'IMAPDEBUGFILE="imaplog.dat"',
          'SMAP_CAPABILITY=SMAP1',
          'IMAP_MOVE_EXPUNGE_TO_TRASH=1',
          'IMAP_LOG_DELETIONS=1',
        ],
      },
    });
  });
  after(async () => {
    await server?.stop();
  });

  test('each key we do not honour is named in a warning', () => {
    const text = server.logs.text();
    for (const key of [
      'IMAP_PROXY=1',
      'OUTBOX=.Outbox',
      'IMAPDEBUGFILE=imaplog.dat',
      'SMAP_CAPABILITY=SMAP1',
    ]) {
      assert.match(text, new RegExp(`not supported, ignored: ${key.replace(/\./g, '\\.')}: `), text);
    }
    // Keys that are honoured are not reported.
    assert.doesNotMatch(text, /ignored: IMAP_(MOVE_EXPUNGE_TO_TRASH|LOG_DELETIONS)/);
  });

  test('EXPUNGE moves to Trash and logs EXPUNGED lines with the client address', async () => {
    const c = await ImapClient.connect(server.port);
    try {
      await c.greeting();
      assert.equal((await c.command(`LOGIN ${server.user.name} ${server.user.password}`)).status, 'OK');
      assert.equal((await c.command('SELECT INBOX')).status, 'OK');
      assert.equal((await c.command('STORE 2 +FLAGS.SILENT (\\Deleted)')).status, 'OK');
      const ex = await c.command('EXPUNGE');
      assert.deepEqual(ex.responses, ['* 2 EXPUNGE\r\n', '* 2 EXISTS\r\n', '* 2 RECENT\r\n', `${ex.tagged}`]);
      await c.command('LOGOUT');
    } finally {
      c.close();
    }
    const md = server.maildir!;
    // The trash did not exist: it was made, and the message sits in it without its T flag.
    assert.deepEqual(await readdir(join(md, '.Trash', 'cur')), ['1700000100.M101P201.fixture,S=630:2,FS']);
    const deadline = Date.now() + 5000;
    while (!/EXPUNGED, user=/.test(server.logs.text()) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const lines = server.logs.entries.map((e) => e.msg).filter((m) => m.startsWith('EXPUNGED'));
    assert.deepEqual(lines, [
      `EXPUNGED, user=${server.user.name}, ip=[::ffff:127.0.0.1], old_name=./cur/1700000100.M101P201.fixture,S=630:2,FST, new_name=.Trash/cur/1700000100.M101P201.fixture,S=630:2,FS: only new_name will be left`,
      `EXPUNGED, user=${server.user.name}, ip=[::ffff:127.0.0.1], old_name=./cur/1700000100.M101P201.fixture,S=630:2,FST`,
    ]);
  });
});
