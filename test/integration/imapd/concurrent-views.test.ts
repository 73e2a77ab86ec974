// Two IMAP sessions on one INBOX while an MTA in another process delivers (tmp/ -> new/), one
// session in IDLE the whole time, the other flagging and expunging (issue 6; sessions.test.ts covers
// the single steps, this one runs them at once). Each session keeps a model of its view from what the
// server tells it (EXISTS, EXPUNGE, FETCH) and the test checks that the model never breaks RFC 3501
// (EXISTS never shrinks the view, EXPUNGE names a message in it, FETCH a sequence number in it), that
// both views end equal to the mailbox, that nothing delivered is lost and that no UID is reused.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { ImapClient } from '../../support/net.js';
import { type RunningServer, startRunningServer } from '../../support/server.js';

const DELIVERIES = 40;

/** A session's view: the UID at each sequence number (undefined until a FETCH names it). */
class View {
  readonly seqs: (number | undefined)[] = [];
  readonly expunged: number[] = [];
  existsSeen = 0;
  expungesSeen = 0;

  constructor(
    readonly name: string,
    private readonly subjects: Map<number, string>,
  ) {}

  apply(response: string): void {
    let m = /^\* (\d+) EXISTS\r\n$/.exec(response);
    if (m) {
      const n = Number(m[1]);
      assert.ok(n >= this.seqs.length, `${this.name}: EXISTS ${n} below the view's ${this.seqs.length}`);
      while (this.seqs.length < n) this.seqs.push(undefined);
      this.existsSeen++;
      return;
    }
    m = /^\* (\d+) EXPUNGE\r\n$/.exec(response);
    if (m) {
      const n = Number(m[1]);
      assert.ok(n >= 1 && n <= this.seqs.length, `${this.name}: EXPUNGE ${n} outside 1:${this.seqs.length}`);
      const [uid] = this.seqs.splice(n - 1, 1);
      if (uid !== undefined) this.expunged.push(uid);
      this.expungesSeen++;
      return;
    }
    m = /^\* (\d+) FETCH \(/.exec(response);
    if (!m) return;
    const n = Number(m[1]);
    assert.ok(n >= 1 && n <= this.seqs.length, `${this.name}: FETCH ${n} outside 1:${this.seqs.length}`);
    const uid = /UID (\d+)/.exec(response);
    if (!uid) return;
    const u = Number(uid[1]);
    const known = this.seqs[n - 1];
    assert.ok(known === undefined || known === u, `${this.name}: sequence ${n} was UID ${known}, now ${u}`);
    this.seqs[n - 1] = u;
    const subject = /^Subject: (.*)\r$/m.exec(response)?.[1];
    if (subject !== undefined) {
      const before = this.subjects.get(u);
      assert.ok(before === undefined || before === subject, `UID ${u} reused: "${before}" then "${subject}"`);
      this.subjects.set(u, subject);
    }
  }

  /** Known UIDs ascend with the sequence numbers. */
  checkOrder(): void {
    const known = this.seqs.filter((u): u is number => u !== undefined);
    for (let i = 1; i < known.length; i++) {
      assert.ok(known[i]! > known[i - 1]!, `${this.name}: UIDs out of order ${known.join(',')}`);
    }
  }
}

async function login(server: RunningServer): Promise<ImapClient> {
  const c = await ImapClient.connect(server.port, '127.0.0.1', 20_000);
  await c.greeting();
  assert.equal((await c.command(`LOGIN ${server.user.name} ${server.user.password}`)).status, 'OK');
  return c;
}

async function command(c: ImapClient, view: View, text: string): Promise<string[]> {
  const r = await c.command(text);
  assert.equal(r.status, 'OK', `${view.name}: ${text}: ${r.tagged}`);
  for (const resp of r.responses) view.apply(resp);
  view.checkOrder();
  return r.responses;
}

/** The MTA: another process writing each message into tmp/ and renaming it into new/. */
function deliverInChild(maildir: string, count: number, uid: number, gid: number): Promise<void> {
  const script = `
    const fs = require('node:fs'); const path = require('node:path');
    const [dir, count, uid, gid] = [process.argv[1], +process.argv[2], +process.argv[3], +process.argv[4]];
    let i = 0;
    const next = () => {
      if (i >= count) return;
      const name = Date.now() + '.M' + i + 'P' + process.pid + '.mta';
      const tmp = path.join(dir, 'tmp', name);
      fs.writeFileSync(tmp, 'From: mta@example.com\\nSubject: delivery ' + i + '\\n\\nbody ' + i + '\\n');
      try { fs.chownSync(tmp, uid, gid); } catch {}
      fs.renameSync(tmp, path.join(dir, 'new', name));
      i++;
      setTimeout(next, 15);
    };
    next();`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script, maildir, String(count), String(uid), String(gid)], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`MTA exited ${code}: ${err}`))));
  });
}

describe('imapd: two sessions, IDLE and an MTA at once', () => {
  let server: RunningServer;
  before(async () => {
    server = await startRunningServer({ kind: 'imapd', maildir: { fixture: 'basic' } });
  });
  after(async () => {
    await server?.stop();
  });

  test('views stay consistent, nothing is lost, no UID is reused', async () => {
    const subjects = new Map<number, string>();
    const a = await login(server);
    const b = await login(server);
    const va = new View('A', subjects);
    const vb = new View('B', subjects);
    try {
      await command(a, va, 'SELECT INBOX');
      await command(b, vb, 'SELECT INBOX');
      const fetchAll = 'UID FETCH 1:* (UID BODY.PEEK[HEADER.FIELDS (SUBJECT)])';
      await command(a, va, fetchAll);
      await command(b, vb, fetchAll);
      const firstUids = va.seqs.slice() as number[];

      // B idles; everything it hears until DONE goes into its view.
      b.send('i1 IDLE');
      assert.equal((await b.readLine())?.trimEnd(), '+ entering idle mode');
      let idleEnded = false;
      const existsBeforeIdle = vb.existsSeen;
      const pump = (async () => {
        for (;;) {
          const r = (await b.reader.readImapResponse())?.toString('utf8');
          if (r === undefined) throw new Error('B: connection closed during IDLE');
          if (r.startsWith('i1 ')) {
            assert.equal(r, 'i1 OK IDLE completed\r\n');
            idleEnded = true;
            return;
          }
          vb.apply(r);
        }
      })();

      // A works on the mailbox while the MTA delivers.
      const mta = deliverInChild(server.maildir!, DELIVERIES, server.user.system.uid, server.user.system.gid);
      const deletedByA = new Set<number>();
      for (let round = 0; round < 8; round++) {
        await command(a, va, 'NOOP');
        await command(a, va, fetchAll);
        // Delete the oldest message A knows (by UID, so a concurrent delivery cannot shift it).
        const victim = va.seqs.find((u): u is number => u !== undefined && !deletedByA.has(u));
        if (victim !== undefined && round % 2 === 1) {
          deletedByA.add(victim);
          await command(a, va, `UID STORE ${victim} +FLAGS.SILENT (\\Deleted)`);
          await command(a, va, 'EXPUNGE');
        }
        await new Promise((r) => setTimeout(r, 40));
      }
      await mta;

      // Quiesce: A catches up, B hears the rest in IDLE, then leaves it.
      await command(a, va, 'NOOP');
      await command(a, va, fetchAll);
      const deadline = Date.now() + 15_000;
      while (vb.seqs.length !== va.seqs.length && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      const idleExists = vb.existsSeen;
      b.send('DONE');
      await pump;
      assert.ok(idleEnded);
      await command(b, vb, 'NOOP');
      await command(b, vb, fetchAll);

      // Both views are complete and equal; the mailbox agrees.
      for (const v of [va, vb])
        assert.ok(
          v.seqs.every((u) => u !== undefined),
          `${v.name}: ${v.seqs.join(',')}`,
        );
      assert.deepEqual(vb.seqs, va.seqs);
      assert.deepEqual([...va.expunged].sort(), [...deletedByA].sort());
      // B was told of every expunge (it may never have learnt the UID of a message delivered and
      // expunged while it idled).
      assert.equal(vb.expungesSeen, deletedByA.size);
      for (const u of vb.expunged) assert.ok(deletedByA.has(u), `B: UID ${u} expunged but not by A`);
      assert.ok(idleExists > existsBeforeIdle, 'B heard of deliveries while idling');
      // Nothing lost: every delivery and every fixture message not deleted is there, once.
      const finalSubjects = va.seqs.map((u) => subjects.get(u!)!);
      const delivered = Array.from({ length: DELIVERIES }, (_, i) => `delivery ${i}`);
      const kept = firstUids.filter((u) => !deletedByA.has(u)).map((u) => subjects.get(u)!);
      const deliveredKept = delivered.filter((s) => ![...deletedByA].some((u) => subjects.get(u) === s));
      assert.deepEqual([...finalSubjects].sort(), [...kept, ...deliveredKept].sort());
      // No UID reused: every UID ever seen names one message, and deliveries got fresh ones.
      assert.equal(new Set(subjects.values()).size, subjects.size);
      const firstMax = Math.max(...firstUids);
      for (const [u, s] of subjects)
        if (s.startsWith('delivery ')) assert.ok(u > firstMax, `${s} got UID ${u}`);
    } finally {
      await a.command('LOGOUT').catch(() => undefined);
      await b.command('LOGOUT').catch(() => undefined);
      a.close();
      b.close();
    }
  });
});
