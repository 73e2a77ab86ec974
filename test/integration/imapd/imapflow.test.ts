// imapflow (a modern Node client) against `bin/imapd run`: list, fetch, flags, append, move, IDLE
// (a delivery by another process reported while idling).
import assert from 'node:assert/strict';
import { chown, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ImapFlow } from 'imapflow';
import { type RunningServer, startRunningServer } from '../../support/server.js';

function client(server: RunningServer): ImapFlow {
  return new ImapFlow({
    host: '127.0.0.1',
    port: server.port,
    secure: false,
    doSTARTTLS: false,
    auth: { user: server.user.name, pass: server.user.password },
    logger: false,
  });
}

describe('imapd with imapflow', () => {
  let server: RunningServer;
  before(async () => {
    server = await startRunningServer({ kind: 'imapd', maildir: { fixture: 'basic' } });
  });
  after(async () => {
    await server?.stop();
  });

  test('list, fetch, flags, append, move', async () => {
    const c = client(server);
    await c.connect();
    try {
      await c.mailboxCreate('INBOX.Archive');
      const names = (await c.list()).map((m) => m.path).sort();
      assert.deepEqual(names, ['INBOX', 'INBOX.Archive']);
      const lock = await c.getMailboxLock('INBOX');
      try {
        assert.equal(c.mailbox === false ? -1 : c.mailbox.exists, 3);
        const got: { uid: number; flags: string[]; size: number | undefined }[] = [];
        for await (const m of c.fetch('1:*', { uid: true, flags: true, size: true })) {
          got.push({
            uid: m.uid,
            flags: [...(m.flags ?? [])].filter((f) => f !== '\\Recent').sort(),
            size: m.size,
          });
        }
        assert.deepEqual(got, [
          { uid: 1, flags: ['\\Seen'], size: 356 },
          { uid: 2, flags: ['\\Flagged', '\\Seen'], size: 651 },
          { uid: 3, flags: [], size: 232 },
        ]);
        const one = await c.fetchOne('3', { source: true }, { uid: true });
        assert.ok(
          one !== false && one.source?.toString('latin1').includes('Subject: New message, not seen yet'),
        );
        assert.equal(await c.messageFlagsAdd('1:2', ['\\Answered'], { uid: true }), true);
        const flags = await c.fetchOne('1', { flags: true }, { uid: true });
        assert.ok(flags !== false && flags.flags?.has('\\Answered'));
        const appended = await c.append(
          'INBOX',
          'From: x@example.com\r\nSubject: via imapflow\r\n\r\nbody\r\n',
          ['\\Draft'],
        );
        assert.ok(appended !== false && appended.uid === 4, `uid ${appended === false ? '-' : appended.uid}`);
        const moved = await c.messageMove('1', 'INBOX.Archive', { uid: true });
        assert.ok(
          moved && moved.uidMap?.get(1) === 1,
          `moved ${moved && [...(moved.uidMap ?? new Map()).entries()].join(';')}`,
        );
      } finally {
        lock.release();
      }
      const st = await c.status('INBOX.Archive', { messages: true, uidNext: true });
      assert.equal(st === false ? -1 : st.messages, 1);
    } finally {
      await c.logout();
    }
  });

  test('IDLE reports a delivery by another process', async () => {
    const c = client(server);
    await c.connect();
    try {
      const lock = await c.getMailboxLock('INBOX');
      try {
        const before = c.mailbox ? c.mailbox.exists : 0;
        const seen = new Promise<number>((resolve) =>
          c.on('exists', (e: { count: number }) => resolve(e.count)),
        );
        const idling = c.idle();
        await new Promise((r) => setTimeout(r, 200));
        const md = server.maildir!;
        const name = `${Math.floor(Date.now() / 1000)}.M1P1.test`;
        await writeFile(join(md, 'tmp', name), 'From: mta@example.com\nSubject: delivered\n\nhi\n');
        await chown(join(md, 'tmp', name), server.user.system.uid, server.user.system.gid).catch(() => {});
        await rename(join(md, 'tmp', name), join(md, 'new', name));
        const t0 = Date.now();
        const count = await seen;
        assert.equal(count, before + 1);
        assert.ok(Date.now() - t0 < 3000, 'reported within a few seconds');
        void idling;
      } finally {
        lock.release();
      }
    } finally {
      await c.logout();
    }
  });
});
