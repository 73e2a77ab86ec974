// Two sessions on one mailbox plus an MTA delivering: each view stays consistent, EXPUNGE reaches
// the other session only at NOOP / IDLE, no UID is reused. Also the pipelining rule: no untagged
// EXPUNGE while a FETCH (which uses sequence numbers) runs.
import assert from 'node:assert/strict';
import { chown, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ImapClient } from '../../support/net.js';
import { type RunningServer, startRunningServer } from '../../support/server.js';

async function login(server: RunningServer): Promise<ImapClient> {
  const c = await ImapClient.connect(server.port);
  await c.greeting();
  const r = await c.command(`LOGIN ${server.user.name} ${server.user.password}`);
  assert.equal(r.status, 'OK', r.tagged);
  return c;
}

async function deliver(server: RunningServer, n: number): Promise<void> {
  const md = server.maildir!;
  const name = `${1700001000 + n}.M${n}P99.mta`;
  await writeFile(join(md, 'tmp', name), `From: mta@example.com\nSubject: delivery ${n}\n\nbody ${n}\n`);
  await chown(join(md, 'tmp', name), server.user.system.uid, server.user.system.gid).catch(() => {});
  await rename(join(md, 'tmp', name), join(md, 'new', name));
}

function uids(lines: readonly string[]): number[] {
  return lines.flatMap((l) => {
    const m = /^\* \d+ FETCH \(UID (\d+)\)/.exec(l);
    return m ? [Number(m[1])] : [];
  });
}

describe('imapd: sessions see each other', () => {
  let server: RunningServer;
  before(async () => {
    server = await startRunningServer({ kind: 'imapd', maildir: { fixture: 'basic' } });
  });
  after(async () => {
    await server?.stop();
  });

  test('commands pipelined after LOGIN reach the logged-in session in order', async () => {
    const c = await ImapClient.connect(server.port);
    try {
      await c.greeting();
      c.write(
        `p1 LOGIN ${server.user.name} ${server.user.password}\r\np2 SELECT INBOX\r\np3 FETCH 1 (UID)\r\np4 LOGOUT\r\n`,
      );
      assert.equal((await c.until('p1')).tagged, 'p1 OK LOGIN Ok.\r\n');
      assert.equal((await c.until('p2')).status, 'OK');
      const f = await c.until('p3');
      assert.deepEqual(f.responses, ['* 1 FETCH (UID 1)\r\n', 'p3 OK FETCH completed.\r\n']);
      const bye = await c.until('p4');
      assert.deepEqual(bye.responses, [
        '* BYE Courier-IMAP server shutting down\r\n',
        'p4 OK LOGOUT completed\r\n',
      ]);
    } finally {
      c.close();
    }
  });

  test('expunge, flags and deliveries propagate at NOOP and IDLE; UIDs never reused', async () => {
    const a = await login(server);
    const b = await login(server);
    try {
      assert.equal((await a.command('SELECT INBOX')).status, 'OK');
      assert.equal((await b.command('SELECT INBOX')).status, 'OK');
      // A deletes message 1; B must not see the EXPUNGE during a FETCH, only at NOOP.
      await a.command('STORE 1 +FLAGS.SILENT (\\Deleted)');
      const ex = await a.command('EXPUNGE');
      assert.ok(ex.responses.includes('* 1 EXPUNGE\r\n'), ex.responses.join(''));
      const f = await b.command('FETCH 1:* (UID)');
      assert.deepEqual(uids(f.responses), [1, 2, 3]);
      assert.ok(!f.responses.some((l) => /EXPUNGE/.test(l)), 'no EXPUNGE during FETCH');
      const n = await b.command('NOOP');
      assert.deepEqual(n.responses.slice(0, 3), ['* 1 EXPUNGE\r\n', '* 2 EXISTS\r\n', '* 0 RECENT\r\n']);
      // A flags message 2 (now 1): B sees an untagged FETCH FLAGS at NOOP.
      await a.command('STORE 1 +FLAGS.SILENT (\\Answered)');
      const n2 = await b.command('NOOP');
      assert.ok(
        n2.responses.some((l) => /^\* 1 FETCH \(FLAGS \(.*\\Answered.*\)\)/.test(l)),
        n2.responses.join(''),
      );
      // An MTA delivers while B idles: B hears of it without asking.
      b.send('i1 IDLE');
      assert.equal((await b.readLine())?.trimEnd(), '+ entering idle mode');
      await deliver(server, 1);
      const exists = (await b.readLine())?.trimEnd();
      assert.equal(exists, '* 3 EXISTS');
      b.send('DONE');
      const done = await b.until('i1');
      assert.equal(done.tagged, 'i1 OK IDLE completed\r\n');
      await deliver(server, 2);
      await a.command('NOOP');
      const fa = await a.command('UID FETCH 1:* (UID)');
      const fb = await b.command('UID FETCH 1:* (UID)');
      assert.deepEqual(uids(fa.responses), [2, 3, 4, 5]);
      assert.deepEqual(uids(fb.responses).slice(0, 3), [2, 3, 4]);
      await b.command('NOOP');
      assert.deepEqual(uids((await b.command('FETCH 1:* (UID)')).responses), [2, 3, 4, 5]);
    } finally {
      await a.command('LOGOUT').catch(() => undefined);
      await b.command('LOGOUT').catch(() => undefined);
      a.close();
      b.close();
    }
  });
});
