// Sessions of one process share one index per folder; each keeps its own view, \Recent set and
// report points. A maildir opened without the process's `sharing` stands in for another process.
import assert from 'node:assert/strict';
import { readdir, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createMaildirSharing, type Folder, openMaildir } from '@courier-ts/maildir';
import { put, withMaildir } from './helpers.js';

const view = (f: Folder) =>
  f.messages.map((m) => [m.uid, [...m.flags].sort().join(''), [...m.keywords].join(','), m.recent]);

/** What the server process would make once and pass to every openMaildir. */
const sharing = createMaildirSharing();

describe('folder sharing within a process', () => {
  test('sessions share the message list until their views differ', async () => {
    await withMaildir(async (dir) => {
      await put(dir, 'cur', '1.M1P1.h:2,S', 'a\n');
      await put(dir, 'cur', '2.M1P1.h:2,', 'b\n');
      const a = await (await openMaildir(dir, { sharing })).openFolder('INBOX', { details: 'lazy' });
      await a.sync();
      const b = await (await openMaildir(dir, { sharing })).openFolder('INBOX', { details: 'lazy' });
      // a saw both messages first (\Recent); b's view is the shared one.
      assert.deepEqual(view(a), [
        [1, 'S', '', true],
        [2, '', '', true],
      ]);
      assert.deepEqual(view(b), [
        [1, 'S', '', false],
        [2, '', '', false],
      ]);
      const c = await (await openMaildir(dir, { sharing })).openFolder('INBOX', { details: 'lazy' });
      assert.equal(c.messages, b.messages, 'same array, not a copy per session');
      // A separate process (own index) sees the same folder but holds its own list.
      const other = await (await openMaildir(dir)).openFolder('INBOX', {
        details: 'lazy',
      });
      assert.notEqual(other.messages, b.messages);
      assert.deepEqual(view(other), view(b));
      for (const f of [a, b, c, other]) await f.close();
    });
  });

  test('\\Recent goes to the first session that sees a delivery; the others get it as plain EXISTS', async () => {
    await withMaildir(async (dir) => {
      const md = await openMaildir(dir, { sharing });
      const a = await md.openFolder('INBOX');
      const b = await md.openFolder('INBOX');
      await put(dir, 'new', '5.M1P1.h', 'x\n');
      const cb = await b.sync();
      assert.deepEqual(
        cb.added.map((m) => [m.uid, m.recent]),
        [[1, true]],
      );
      const ca = await a.sync();
      assert.deepEqual(
        ca.added.map((m) => [m.uid, m.recent]),
        [[1, false]],
      );
      assert.equal(b.messages[0]!.recent, true);
      assert.equal(a.messages[0]!.recent, false);
      // b's \Recent survives its own flag change and a measure.
      await b.setFlags([b.messages[0]!], 'add', ['S']);
      assert.deepEqual(view(b), [[1, 'S', '', true]]);
      assert.deepEqual(view(a), [[1, '', '', false]], 'a sees the change only at its next sync');
      assert.deepEqual(
        (await a.sync()).flagsChanged.map((m) => [m.uid, [...m.flags].join(''), m.recent]),
        [[1, 'S', false]],
      );
      await a.close();
      await b.close();
    });
  });

  test("a look at an unchanged folder keeps the session's view as it is (no copy, \\Recent kept)", async () => {
    await withMaildir(async (dir) => {
      await put(dir, 'cur', '1.M1P1.h:2,', 'a\n');
      const md = await openMaildir(dir, { sharing });
      const a = await md.openFolder('INBOX');
      const b = await md.openFolder('INBOX');
      for (const n of [5, 6, 7]) await put(dir, 'new', `${n}.M1P1.h`, 'x\n');
      await b.sync(); // b sees the deliveries first: its view is a copy with its \Recent marks
      const seen = b.messages;
      assert.deepEqual(
        seen.map((m) => m.recent),
        [false, true, true, true],
      );
      for (let i = 0; i < 3; i++) {
        const c = await b.sync();
        assert.equal(c.added.length + c.expunged.length + c.flagsChanged.length, 0);
        assert.equal(b.messages, seen, `look ${i + 1}: the same view, not made again`);
      }
      // A change (here: \Recent of an expunged message gone) makes it again.
      await b.expunge([b.messages[1]!]);
      assert.notEqual(b.messages, seen);
      assert.deepEqual(
        b.messages.map((m) => m.recent),
        [false, true, true],
      );
      await a.close();
      await b.close();
    });
  });

  test('each session reports changes of the other at its own sync, its own never', async () => {
    await withMaildir(async (dir) => {
      await put(dir, 'cur', '1.M1P1.h:2,', 'a\n');
      await put(dir, 'cur', '2.M1P1.h:2,', 'b\n');
      await put(dir, 'cur', '3.M1P1.h:2,', 'c\n');
      const md = await openMaildir(dir, { sharing });
      const a = await md.openFolder('INBOX');
      const b = await md.openFolder('INBOX');
      await a.setFlags([a.byUid(1)!], 'add', ['F'], ['Work']);
      assert.deepEqual(await a.expunge([a.byUid(2)!]), [2]);
      assert.deepEqual(
        a.messages.map((m) => m.uid),
        [1, 3],
      );
      // a's own changes are not reported back to it.
      const ca = await a.sync();
      assert.deepEqual([ca.added, ca.expunged, ca.flagsChanged, ca.keywordsChanged], [[], [], [], false]);
      // b still has its old view until it syncs; then it gets both changes.
      assert.deepEqual(
        b.messages.map((m) => m.uid),
        [1, 2, 3],
      );
      assert.deepEqual([...b.byUid(1)!.flags], []);
      const cb = await b.sync();
      assert.deepEqual(cb.expunged, [2]);
      assert.deepEqual(
        cb.flagsChanged.map((m) => [m.uid, [...m.flags].join(''), [...m.keywords].join()]),
        [[1, 'F', 'Work']],
      );
      assert.equal(cb.keywordsChanged, true);
      assert.deepEqual(new Map(b.keywordCounts), new Map([['Work', 1]]));
      // b expunges a message a already removed (b saw it go): nothing twice, no error.
      await a.expunge([a.byUid(3)!]);
      assert.deepEqual(await b.expunge([b.byUid(3)!]), [3]);
      assert.deepEqual(
        b.messages.map((m) => m.uid),
        [1],
      );
      assert.deepEqual((await a.sync()).expunged, []);
      assert.deepEqual((await b.sync()).expunged, []);
      // No UID is reused after expunges by both sessions.
      await put(dir, 'new', '9.M1P1.h', 'd\n');
      assert.deepEqual(
        (await b.sync()).added.map((m) => m.uid),
        [4],
      );
      assert.deepEqual(
        (await a.sync()).added.map((m) => m.uid),
        [4],
      );
      await a.close();
      await b.close();
    });
  });

  test('a session in another process and the shared index see each other', async () => {
    await withMaildir(async (dir) => {
      await put(dir, 'cur', '1.M1P1.h:2,', 'a\n');
      const a = await (await openMaildir(dir, { sharing })).openFolder('INBOX');
      const p = await (await openMaildir(dir)).openFolder('INBOX');
      await p.setFlags([p.byUid(1)!], 'add', ['S']);
      await put(dir, 'new', '2.M1P1.h', 'b\n');
      const ca = await a.sync();
      assert.deepEqual(
        ca.added.map((m) => m.uid),
        [2],
      );
      assert.deepEqual(
        ca.flagsChanged.map((m) => m.uid),
        [1],
      );
      await a.expunge([a.byUid(2)!]);
      const cp = await p.sync();
      assert.deepEqual(
        cp.added.map((m) => m.uid),
        [],
        'a took UID 2 and expunged it before p looked',
      );
      assert.deepEqual(
        p.messages.map((m) => m.uid),
        [1],
      );
      await a.close();
      await p.close();
    });
  });

  test("sizes measured by one session are the other sessions' too; eager opens measure all", async () => {
    await withMaildir(async (dir) => {
      await put(dir, 'cur', '1.M1P1.h:2,', 'a\nb\n');
      await put(dir, 'cur', '2.M1P1.h:2,', 'c\n');
      const md = await openMaildir(dir, { useCache: false, sharing });
      const lazy = await md.openFolder('INBOX', { details: 'lazy' });
      assert.ok(Number.isNaN(lazy.byUid(1)!.crlfSize));
      const [m] = await lazy.measure([lazy.byUid(1)!]);
      assert.equal(m!.crlfSize, 6);
      assert.equal(lazy.byUid(1)!.crlfSize, 6);
      const lazy2 = await md.openFolder('INBOX', { details: 'lazy' });
      assert.equal(lazy2.byUid(1)!.crlfSize, 6);
      assert.ok(Number.isNaN(lazy2.byUid(2)!.crlfSize));
      const eager = await md.openFolder('INBOX');
      assert.deepEqual(
        eager.messages.map((x) => [x.uid, x.size, x.crlfSize]),
        [
          [1, 4, 6],
          [2, 2, 3],
        ],
      );
      assert.equal(
        eager.byUid(2)!.mtime.getTime(),
        Math.round((await stat(join(dir, 'cur', '2.M1P1.h:2,'))).mtimeMs),
      );
      // Measuring is not a change: nothing to report.
      const ch = await lazy2.sync();
      assert.deepEqual([ch.added, ch.expunged, ch.flagsChanged], [[], [], []]);
      for (const f of [lazy, lazy2, eager]) await f.close();
    });
  });

  test('one watcher set per folder: every session is woken, closing one keeps the others', async () => {
    await withMaildir(async (dir) => {
      const md = await openMaildir(dir, { sharing });
      const a = await md.openFolder('INBOX');
      const b = await md.openFolder('INBOX');
      const guard = setTimeout(() => {}, 20_000);
      let woken = { a: 0, b: 0 };
      const wa = a.watch(() => woken.a++, { pollMs: 100 });
      const wb = b.watch(() => woken.b++, { pollMs: 100 });
      const until = async (ok: () => boolean) => {
        while (!ok()) await new Promise((r) => setTimeout(r, 20));
      };
      await put(dir, 'new', '1.M1P1.h', 'x\n');
      await until(() => woken.a > 0 && woken.b > 0);
      wa.close();
      woken = { a: 0, b: 0 };
      await put(dir, 'new', '2.M1P1.h', 'y\n');
      await until(() => woken.b > 0);
      assert.equal(woken.a, 0);
      wb.close();
      clearTimeout(guard);
      await a.close();
      await b.close();
    });
  });

  test('the index closes with its last session and writes its cache; a later open rescans', async () => {
    await withMaildir(async (dir) => {
      await put(dir, 'cur', '1.M1P1.h:2,', 'a\n');
      const md = await openMaildir(dir, { sharing });
      const a = await md.openFolder('INBOX');
      const b = await md.openFolder('INBOX');
      await a.close();
      assert.throws(() => a.sync(), { name: 'FolderClosedError' });
      assert.equal((await b.sync()).added.length, 0, 'b keeps working after a closed');
      await b.close();
      assert.ok((await readdir(dir)).includes('courier-ts.cache'));
      await put(dir, 'new', '2.M1P1.h', 'b\n');
      const c = await md.openFolder('INBOX');
      assert.deepEqual(
        c.messages.map((m) => [m.uid, m.recent]),
        [
          [1, false],
          [2, true],
        ],
      );
      await c.close();
    });
  });

  test('a folder reopened soon after its last session closed comes from memory, changes still seen', async () => {
    await withMaildir(async (dir) => {
      await put(dir, 'cur', '1.M1P1.h:2,', 'a\n');
      await put(dir, 'cur', '2.M1P1.h:2,', 'b\n');
      const md = await openMaildir(dir, { sharing });
      await (await md.openFolder('INBOX')).close(); // writes the uiddb and courierimapkeywords/
      const old = new Date(Date.now() - 60_000);
      for (const p of ['cur', 'new', 'courierimapkeywords', 'courierimapuiddb'])
        await utimes(join(dir, p), old, old);
      const a = await md.openFolder('INBOX');
      const seen = a.messages;
      await a.close();
      const b = await md.openFolder('INBOX');
      assert.equal(b.messages, seen, 'the parked index, not a rescan');
      await b.close();
      // Another process renames a file (flags) while the index is parked.
      await rename(join(dir, 'cur', '2.M1P1.h:2,'), join(dir, 'cur', '2.M1P1.h:2,S'));
      const c = await md.openFolder('INBOX');
      assert.deepEqual(view(c), [
        [1, '', '', false],
        [2, 'S', '', false],
      ]);
      await c.close();
    });
  });

  test('measuring hundreds of messages at once (thread) gives exact sizes; a vanished file stays unmeasured', async () => {
    await withMaildir(async (dir) => {
      const n = 600;
      const body = (i: number) => `Subject: ${i}\n\n${'line\n'.repeat(i % 7)}${'x'.repeat(i % 300)}`;
      for (let i = 1; i <= n; i++) await put(dir, 'cur', `${1000 + i}.M1P1.h:2,`, body(i));
      const md = await openMaildir(dir, { useCache: false, sharing });
      const eager = await md.openFolder('INBOX');
      const expect = (i: number) => {
        const b = Buffer.from(body(i));
        const lfs = b.toString('latin1').split('\n').length - 1;
        return [b.length, b.length + lfs];
      };
      for (const m of eager.messages) assert.deepEqual([m.size, m.crlfSize], expect(m.uid), `uid ${m.uid}`);
      await eager.close();
      const other = await (await openMaildir(dir, { useCache: false })).openFolder('INBOX', {
        details: 'lazy',
      });
      await unlink(join(dir, 'cur', '1007.M1P1.h:2,'));
      const measured = await other.measure(other.messages);
      assert.equal(measured.length, n);
      assert.ok(Number.isNaN(other.byUid(7)!.crlfSize));
      assert.deepEqual([other.byUid(600)!.size, other.byUid(600)!.crlfSize], expect(600));
      assert.equal(other.messages.filter((m) => Number.isNaN(m.size)).length, 1);
      await other.close();
    });
  });

  test('random mix of deliveries, flags and expunges by three sessions (two share, one apart) converges', async () => {
    await withMaildir(async (dir) => {
      const md = await openMaildir(dir, { sharing });
      const sessions = [
        await md.openFolder('INBOX', { details: 'lazy' }),
        await (await openMaildir(dir, { sharing })).openFolder('INBOX'),
        await (await openMaildir(dir)).openFolder('INBOX', { details: 'lazy' }),
      ];
      // What each session's client knows: UIDs in order (kept in step from what sync reports).
      const known = sessions.map((f) => f.messages.map((m) => m.uid));
      const everSeen = new Map<number, string>(); // uid -> key: a UID never names another message
      let seed = 12345;
      const rand = (n: number) => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return Math.floor(seed / 65536) % n; // the high bits (an LCG's low bits cycle fast)
      };
      let delivered = 0;
      const done = { store: 0, expunge: 0, sync: 0 };
      for (let step = 0; step < 150; step++) {
        const who = rand(3);
        const f = sessions[who]!;
        const op = rand(4);
        if (op === 0) {
          await put(dir, 'new', `${1_700_000_000 + delivered++}.M1P1.h`, `m${delivered}\n`);
        } else if (op === 1 && f.messages.length > 0) {
          const m = f.messages[rand(f.messages.length)]!;
          await f.setFlags([m], rand(2) ? 'add' : 'remove', ['S'], rand(2) ? ['K'] : []);
          done.store++;
        } else if (op === 2 && f.messages.length > 0 && rand(3) === 0) {
          const m = f.messages[rand(f.messages.length)]!;
          const gone = await f.expunge([m]);
          done.expunge++;
          known[who] = known[who]!.filter((u) => !gone.includes(u));
        } else {
          const ch = await f.sync();
          done.sync++;
          const before = known[who]!;
          assert.ok(
            ch.expunged.every((u) => before.includes(u)),
            'expunges only of messages the session knew',
          );
          const after = before.filter((u) => !ch.expunged.includes(u));
          for (const m of ch.added) {
            assert.ok(!before.includes(m.uid), 'added only once');
            assert.ok(after.length === 0 || m.uid > after[after.length - 1]!, 'new UIDs only grow');
            after.push(m.uid);
          }
          known[who] = after;
        }
        for (const [i, s] of sessions.entries()) {
          assert.deepEqual(
            s.messages.map((m) => m.uid),
            known[i],
            `session ${i} view = what its client was told (step ${step})`,
          );
          for (const m of s.messages) {
            const k = everSeen.get(m.uid);
            assert.ok(k === undefined || k === m.key, `UID ${m.uid} reused`);
            everSeen.set(m.uid, m.key);
          }
        }
      }
      assert.ok(
        delivered > 10 && done.store > 10 && done.expunge > 5 && done.sync > 10,
        JSON.stringify(done),
      );
      // After a sync everyone agrees with the disk (and with a fresh open elsewhere).
      const fresh = await (await openMaildir(dir)).openFolder('INBOX');
      const disk = fresh.messages.map((m) => [m.uid, [...m.flags].join(''), [...m.keywords].join()]);
      for (const s of sessions) {
        await s.sync();
        assert.deepEqual(
          s.messages.map((m) => [m.uid, [...m.flags].join(''), [...m.keywords].join()]),
          disk,
        );
      }
      // \Recent: each delivered message to one session at most (the first to see it).
      const recentIn = new Map<number, number>();
      for (const s of sessions)
        for (const m of s.messages) if (m.recent) recentIn.set(m.uid, (recentIn.get(m.uid) ?? 0) + 1);
      assert.ok([...recentIn.values()].every((n) => n === 1));
      assert.ok(recentIn.size > 0, 'some deliveries are still there and \\Recent somewhere');
      for (const s of [...sessions, fresh]) await s.close();
    });
  });

  test('EXAMINE and SELECT of one folder do not share (an EXAMINE scan writes no uiddb)', async () => {
    await withMaildir(async (dir) => {
      await put(dir, 'new', '1.M1P1.h', 'a\n');
      const md = await openMaildir(dir, { sharing });
      const ro = await md.openFolder('INBOX', { readOnly: true });
      const rw = await md.openFolder('INBOX');
      assert.notEqual(ro.messages, rw.messages);
      assert.equal(rw.messages[0]!.uid, 1);
      await ro.close();
      await rw.close();
    });
  });
  test('a sync after only our own STORE/EXPUNGE does not rescan; another change in the same window is seen', async () => {
    await withMaildir(async (dir) => {
      for (const i of [1, 2, 3, 4]) await put(dir, 'cur', `${i}.M1P1.h:2,`, `${i}\n`);
      let offset = 0;
      const md = await openMaildir(dir, { clock: { now: () => Date.now() + offset } });
      const a = await md.openFolder('INBOX', { details: 'lazy' });
      const b = await md.openFolder('INBOX', { details: 'lazy' });
      // Everything old enough for its stamp to be trusted; b's sync scans it once as it is.
      const old = new Date(Date.now() - 3600_000);
      for (const p of ['cur', 'new', 'courierimapuiddb', 'courierimapkeywords'])
        await utimes(join(dir, p), old, old).catch(() => {});
      await b.sync();
      // A stale file in tmp/: a full scan (maildir_purgetmp, clock 3 days on) would remove it.
      const stale = join(dir, 'tmp', '1.stale.h');
      await writeFile(stale, 'x');
      offset = 3 * 86400_000;
      const [m1, m2, m3, m4] = a.messages;
      await a.setFlags([m1!], 'add', ['S']);
      await a.expunge([m4!]);
      const cb = await b.sync();
      assert.deepEqual(
        cb.flagsChanged.map((m) => [m.uid, [...m.flags].join('')]),
        [[1, 'S']],
      );
      assert.deepEqual(cb.expunged, [4]);
      assert.ok(await stat(stale).then(() => true), 'no rescan after our own changes');
      assert.deepEqual((await a.sync()).flagsChanged, []);
      // Another process renames a message right after our own change: the next sync sees both.
      await a.setFlags([m3!], 'add', ['F']);
      await rename(join(dir, 'cur', m2!.filename), join(dir, 'cur', '2.M1P1.h:2,T'));
      const cb2 = await b.sync();
      assert.deepEqual(
        cb2.flagsChanged.map((m) => [m.uid, [...m.flags].join('')]),
        [
          [2, 'T'],
          [3, 'F'],
        ],
      );
      await assert.rejects(stat(stale), 'that sync scanned');
      await a.close();
      await b.close();
    });
  });
});
