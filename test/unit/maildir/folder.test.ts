import assert from 'node:assert/strict';
import { readdir, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, test } from 'node:test';
import {
  type Folder,
  MessageGoneError,
  NoSuchFolderError,
  OverQuotaError,
  openMaildir,
  ReadOnlyFolderError,
} from '@courier-ts/maildir';
import { captureLog, put, withMaildir } from './helpers.js';

const body = (s: string) => Readable.from([Buffer.from(s)]);

function summary(f: Folder) {
  return f.messages.map((m) => [m.uid, [...m.flags].sort().join(''), [...m.keywords].sort().join(',')]);
}

describe('Folder', () => {
  test('first open: new/ moved to cur/, UIDs in file-name order, uiddb written, \\Recent', async () => {
    await withMaildir(async (dir) => {
      await put(dir, 'new', '1700000000.M21534P1.h', 'Subject: b\n\nb\n');
      await put(dir, 'new', '1700000000.M131984P1.h', 'Subject: a\n\na\n');
      await put(dir, 'cur', '1600000000.M1P1.h:2,S', 'Subject: old\n\nold\n');
      const log = captureLog();
      const md = await openMaildir(dir, { log });
      const f = await md.openFolder('INBOX');
      assert.deepEqual(
        f.messages.map((m) => [m.uid, m.filename, m.recent]),
        [
          [1, '1600000000.M1P1.h:2,S', true],
          [2, '1700000000.M131984P1.h:2,', true],
          [3, '1700000000.M21534P1.h:2,', true],
        ],
      );
      assert.deepEqual(await readdir(join(dir, 'new')), []);
      const db = await readFile(join(dir, 'courierimapuiddb'), 'utf8');
      assert.equal(
        db,
        `1 ${f.uidValidity} 4\n1 1600000000.M1P1.h\n2 1700000000.M131984P1.h\n3 1700000000.M21534P1.h\n`,
      );
      const st = await stat(join(dir, 'courierimapuiddb'));
      assert.ok(Math.abs(f.uidValidity - (Math.floor(st.mtimeMs / 1000) - 1_000_000_000)) <= 1);
      assert.equal(f.messages[0]!.size, 18);
      assert.equal(f.messages[0]!.crlfSize, 21);
      assert.equal(await text(f.openMessage(f.messages[0]!)), 'Subject: old\r\n\r\nold\r\n');
      assert.equal(await text(f.openMessage(f.messages[0]!, { start: 9, end: 16 })), 'old\r\n\r\n');
      assert.equal((await f.readHeaders(f.messages[0]!, 1000)).toString(), 'Subject: old\n\n');
      // A second session sees the same UIDs and no \Recent.
      const g = await md.openFolder('INBOX');
      assert.deepEqual(
        g.messages.map((m) => [m.uid, m.recent]),
        [
          [1, false],
          [2, false],
          [3, false],
        ],
      );
      assert.equal(g.uidValidity, f.uidValidity);
      assert.deepEqual(
        log.lines.filter((l) => l.level === 'error' || l.level === 'warn'),
        [],
      );
      await f.close();
      await g.close();
    });
  });

  test('sync reports deliveries, expunges and flag changes made by others', async () => {
    await withMaildir(async (dir) => {
      await put(dir, 'cur', '1.M1P1.h:2,', 'a\n');
      await put(dir, 'cur', '2.M1P1.h:2,', 'b\n');
      const md = await openMaildir(dir);
      const f = await md.openFolder('INBOX');
      await put(dir, 'new', '3.M1P1.h', 'c\n');
      await unlink(join(dir, 'cur', '1.M1P1.h:2,'));
      await rename(join(dir, 'cur', '2.M1P1.h:2,'), join(dir, 'cur', '2.M1P1.h:2,FS'));
      const ch = await f.sync();
      assert.deepEqual(
        ch.added.map((m) => m.uid),
        [3],
      );
      assert.deepEqual(ch.expunged, [1]);
      assert.deepEqual(
        ch.flagsChanged.map((m) => [m.uid, [...m.flags].sort().join('')]),
        [[2, 'FS']],
      );
      assert.deepEqual(summary(f), [
        [2, 'FS', ''],
        [3, '', ''],
      ]);
      const none = await f.sync();
      assert.deepEqual([none.added.length, none.expunged.length, none.flagsChanged.length], [0, 0, 0]);
      await f.close();
    });
  });

  test('setFlags / keywords / expunge, visible to a second session', async () => {
    await withMaildir(async (dir) => {
      await put(dir, 'cur', '1.M1P1.h:2,', 'a\n');
      await put(dir, 'cur', '2.M1P1.h:2,S', 'b\n');
      const md = await openMaildir(dir);
      const f = await md.openFolder('INBOX');
      const g = await md.openFolder('INBOX');
      await f.setFlags([f.messages[0]!], 'add', ['T', 'D'], ['Work', '$Forwarded']);
      await f.setFlags([f.messages[1]!], 'set', ['F'], []);
      assert.deepEqual(await readdir(join(dir, 'cur')).then((n) => n.sort()), [
        '1.M1P1.h:2,DT',
        '2.M1P1.h:2,F',
      ]);
      await f.setFlags([f.messages[0]!], 'add', [], ['work']);
      assert.deepEqual(
        [...f.messages[0]!.keywords].sort(),
        ['$Forwarded', 'Work'],
        'keywords are case-insensitive',
      );
      assert.deepEqual(
        new Map(f.keywordCounts),
        new Map([
          ['Work', 1],
          ['$Forwarded', 1],
        ]),
      );
      const ch = await g.sync();
      assert.deepEqual(
        ch.flagsChanged.map((m) => m.uid),
        [1, 2],
      );
      assert.equal(ch.keywordsChanged, true);
      assert.deepEqual(summary(g), summary(f));
      await f.setFlags([f.messages[0]!], 'remove', ['T'], ['WORK']);
      assert.deepEqual(summary(f)[0], [1, 'D', '$Forwarded']);
      const gone = await f.expunge([f.messages[1]!]);
      assert.deepEqual(gone, [2]);
      assert.deepEqual((await g.sync()).expunged, [2]);
      await assert.rejects(g.openMessage(ch.flagsChanged[1]!).toArray(), MessageGoneError);
      await f.close();
      await g.close();
    });
  });

  test('a message renamed by another process is still readable and flaggable', async () => {
    await withMaildir(async (dir) => {
      await put(dir, 'cur', '1.M1P1.h:2,', 'hello\n');
      const md = await openMaildir(dir);
      const f = await md.openFolder('INBOX');
      await rename(join(dir, 'cur', '1.M1P1.h:2,'), join(dir, 'cur', '1.M1P1.h:2,R'));
      assert.equal(await text(f.openMessage(f.messages[0]!)), 'hello\r\n');
      await f.setFlags([f.messages[0]!], 'add', ['S']);
      assert.deepEqual(await readdir(join(dir, 'cur')), ['1.M1P1.h:2,RS']);
      await f.close();
    });
  });

  test('append: CRs stripped, trailing LF, ,S= name, flags, keywords, internal date, consecutive UIDs', async () => {
    await withMaildir(async (dir) => {
      const md = await openMaildir(dir, { hostname: 'test.host' });
      const f = await md.openFolder('INBOX');
      const date = new Date('2024-01-01T10:00:00Z');
      const a = await f.append(body('Subject: x\r\n\r\nbody'), {
        flags: ['S', 'F'],
        keywords: ['K1'],
        internalDate: date,
      });
      const b = await f.append(body(''));
      assert.deepEqual([a.uid, b.uid], [1, 2]);
      assert.equal(a.uidValidity, f.uidValidity);
      await f.sync();
      const [m1, m2] = f.messages;
      assert.match(m1!.filename, /^\d+\.M\d+P\d+V[0-9A-F]{16}I[0-9A-F]{16}_\d+\.test\.host,S=17:2,FS$/);
      assert.equal(await readFile(join(dir, 'cur', m1!.filename), 'utf8'), 'Subject: x\n\nbody\n');
      assert.equal(m1!.mtime.getTime(), date.getTime());
      assert.deepEqual([...m1!.keywords], ['K1']);
      assert.equal(m2!.size, 1);
      assert.deepEqual(await readdir(join(dir, 'tmp')), []);
      await f.close();
    });
  });

  test('copy and move keep flags, keywords and mtime; TRYCREATE for a missing folder', async () => {
    await withMaildir(async (dir) => {
      await put(dir, 'cur', '1.M1P1.h:2,RS', 'one\n');
      await put(dir, 'cur', '2.M1P1.h:2,', 'two\n');
      const md = await openMaildir(dir);
      await md.createFolder('INBOX.Dest');
      const f = await md.openFolder('INBOX');
      await f.setFlags([f.messages[0]!], 'add', [], ['Kw']);
      const r = await f.copyTo(f.messages, 'INBOX.Dest');
      assert.deepEqual(r.sourceUids, [1, 2]);
      assert.deepEqual(r.destUids, [1, 2]);
      const d = await md.openFolder('INBOX.Dest');
      assert.equal(r.uidValidity, d.uidValidity);
      assert.deepEqual(summary(d), [
        [1, 'RS', 'Kw'],
        [2, '', ''],
      ]);
      assert.equal(
        Math.floor(d.messages[0]!.mtime.getTime() / 1000),
        Math.floor(f.messages[0]!.mtime.getTime() / 1000),
      );
      const mv = await f.moveTo([f.messages[1]!], 'INBOX.Dest');
      assert.deepEqual(mv.destUids, [3]);
      assert.deepEqual(
        f.messages.map((m) => m.uid),
        [1],
      );
      await assert.rejects(f.copyTo(f.messages, 'INBOX.Nope'), NoSuchFolderError);
      await f.close();
      await d.close();
    });
  });

  test('read-only: new/ still moved, no uiddb written, writes refused', async () => {
    await withMaildir(async (dir) => {
      await put(dir, 'new', '1.M1P1.h', 'a\n');
      const md = await openMaildir(dir);
      const f = await md.openFolder('INBOX', { readOnly: true });
      assert.deepEqual(
        f.messages.map((m) => m.uid),
        [1],
      );
      await assert.rejects(stat(join(dir, 'courierimapuiddb')));
      await assert.rejects(async () => f.expunge(f.messages), ReadOnlyFolderError);
      await assert.rejects(async () => f.setFlags(f.messages, 'add', ['S']), ReadOnlyFolderError);
      await f.close();
    });
  });

  test('an unreadable uiddb is rebuilt with a warning naming folder and reason', async () => {
    await withMaildir(async (dir) => {
      await put(dir, 'cur', '1.M1P1.h:2,', 'a\n');
      await writeFile(join(dir, 'courierimapuiddb'), '7 1 2\n1 1.M1P1.h\n');
      const log = captureLog();
      const f = await (await openMaildir(dir, { log })).openFolder('INBOX');
      const warn = log.lines.find((l) => l.level === 'warn');
      assert.ok(warn, 'warned');
      assert.deepEqual(
        [(warn.obj as { folder: string }).folder, (warn.obj as { reason: string }).reason],
        ['INBOX', 'version 7'],
      );
      assert.deepEqual(
        f.messages.map((m) => m.uid),
        [1],
      );
      await f.close();
    });
  });

  test('quota: APPEND and COPY over the limit fail with OverQuotaError and leave nothing behind', async () => {
    await withMaildir(async (dir) => {
      await writeFile(join(dir, 'maildirsize'), '30S\n           0            0\n');
      const md = await openMaildir(dir);
      const f = await md.openFolder('INBOX');
      assert.equal(await md.quotaAllows(30), true);
      assert.equal(await md.quotaAllows(31), false);
      await f.append(body('x'.repeat(19)));
      await assert.rejects(f.append(body('y'.repeat(19))), OverQuotaError);
      assert.deepEqual(await readdir(join(dir, 'tmp')), []);
      // Over quota with two lines: Courier recalculates (and is still over).
      assert.equal(await readFile(join(dir, 'maildirsize'), 'utf8'), '30S\n          20            1\n');
      await f.sync();
      await f.expunge(f.messages);
      assert.match(await readFile(join(dir, 'maildirsize'), 'utf8'), /\n {9}-20 {11}-1\n$/);
      assert.deepEqual(await md.quota(), {
        limitBytes: 30,
        limitMessages: undefined,
        usedBytes: 0,
        usedMessages: 0,
      });
      await f.close();
    });
  });

  test('stale tmp/ files (ctime > 36 h) are removed on scan; fresh ones kept', async () => {
    await withMaildir(async (dir) => {
      await writeFile(join(dir, 'tmp', 'fresh'), 'x');
      const { purgeTmp } = await import('@courier-ts/maildir/internals');
      assert.equal(await purgeTmp(dir, Date.now() + 37 * 3600 * 1000), 1);
      await writeFile(join(dir, 'tmp', 'fresh'), 'x');
      await (await (await openMaildir(dir)).openFolder('INBOX')).close();
      assert.deepEqual(await readdir(join(dir, 'tmp')), ['fresh']);
    });
  });

  test('our cache: a reopened folder does not re-read message files', async () => {
    await withMaildir(async (dir) => {
      await put(dir, 'cur', '1.M1P1.h:2,', 'a\nb\n');
      const f = await (await openMaildir(dir)).openFolder('INBOX');
      await f.close();
      const cache = await readFile(join(dir, 'courier-ts.cache'), 'utf8');
      assert.match(cache, /^courier-ts-cache 2\n1\.M1P1\.h\t4\t2\t\d+\n$/);
      // Lie in the cache: a reopen (in another process: no shared index) must believe it rather
      // than re-reading the file.
      await writeFile(join(dir, 'courier-ts.cache'), cache.replace('\t4\t2\t', '\t40\t20\t'));
      const g = await (await openMaildir(dir)).openFolder('INBOX');
      assert.equal(g.messages[0]!.crlfSize, 60);
      await g.close();
      const h = await (await openMaildir(dir, { useCache: false })).openFolder('INBOX');
      assert.equal(h.messages[0]!.crlfSize, 6);
      await h.close();
    });
  });

  test('watch fires on delivery', async () => {
    await withMaildir(async (dir) => {
      const f = await (await openMaildir(dir)).openFolder('INBOX');
      const guard = setTimeout(() => {}, 20_000); // fs.watch and the poll timer do not hold the loop
      const fired = new Promise<void>((resolve) => {
        const w = f.watch(
          () => {
            w.close();
            resolve();
          },
          { pollMs: 100 },
        );
      });
      await put(dir, 'new', '9.M1P1.h', 'x\n');
      await fired;
      clearTimeout(guard);
      assert.deepEqual(
        (await f.sync()).added.map((m) => m.uid),
        [1],
      );
      await f.close();
    });
  });
});

describe('Folder details: lazy', () => {
  test('sizes unknown until measured, then cached for the next open', async () => {
    await withMaildir(async (dir) => {
      await put(dir, 'cur', '1.M1P1.h:2,', 'a\nb\n');
      await put(dir, 'new', '2.M1P1.h,S=2', 'c\n');
      const md = await openMaildir(dir);
      const f = await md.openFolder('INBOX', { details: 'lazy' });
      assert.deepEqual(
        f.messages.map((m) => [m.uid, Number.isNaN(m.crlfSize)]),
        [
          [1, true],
          [2, true],
        ],
      );
      const measured = await f.measure([f.messages[1]!]);
      assert.deepEqual(
        measured.map((m) => [m.uid, m.size, m.crlfSize]),
        [[2, 2, 3]],
      );
      assert.equal(f.byUid(2)!.crlfSize, 3);
      assert.ok(Number.isNaN(f.byUid(1)!.size));
      await f.expunge([f.byUid(1)!]);
      await f.close();
      const g = await md.openFolder('INBOX', { details: 'lazy' });
      assert.equal(g.byUid(2)!.crlfSize, 3, 'from our cache');
      await g.close();
    });
  });
});

describe('Trash handling', () => {
  test('expunge with moveToTrash renames into .Trash/cur without T and D; purgeOld by ctime', async () => {
    await withMaildir(async (dir) => {
      await put(dir, 'cur', '1.M1P1.h,S=2:2,DST', 'a\n');
      await put(dir, 'cur', '2.M1P1.h,S=2:2,R', 'b\n');
      await writeFile(join(dir, 'maildirsize'), '1000S\n           4            2\n');
      const md = await openMaildir(dir);
      await md.createFolder('INBOX.Trash');
      const f = await md.openFolder('INBOX');
      assert.deepEqual(await f.expunge([f.messages[0]!], { moveToTrash: 'INBOX.Trash' }), [1]);
      assert.deepEqual(await readdir(join(dir, '.Trash', 'cur')), ['1.M1P1.h,S=2:2,S']);
      assert.deepEqual(
        f.messages.map((m) => m.uid),
        [2],
      );
      assert.equal(
        await readFile(join(dir, 'maildirsize'), 'utf8'),
        '1000S\n           4            2\n',
        'T: not counted',
      );
      await f.expunge([f.messages[0]!], { moveToTrash: 'INBOX.Trash' });
      assert.match(await readFile(join(dir, 'maildirsize'), 'utf8'), /\n {10}-2 {11}-1\n$/);
      const t = await md.openFolder('INBOX.Trash');
      assert.deepEqual(
        t.messages.map((m) => [m.uid, [...m.flags].join('')]),
        [
          [1, 'S'],
          [2, 'R'],
        ],
      );
      await t.close();
      assert.deepEqual(await md.purgeOld('INBOX.Trash', 7), { removed: 0 });
      const later = await openMaildir(dir, { clock: { now: () => Date.now() + 8 * 86400 * 1000 } });
      assert.deepEqual(await later.purgeOld('INBOX.Trash', 7), { removed: 2 });
      assert.deepEqual(await readdir(join(dir, '.Trash', 'cur')), []);
      await f.close();
    });
  });
});

describe('snapshot of an unchanged folder', () => {
  async function age(dir: string): Promise<void> {
    const old = new Date(Date.now() - 60_000);
    for (const p of ['cur', 'new', 'courierimapkeywords', 'courierimapuiddb']) {
      await utimes(join(dir, p), old, old).catch(() => {});
    }
  }
  test('written at close when nothing changed, used by the next open, ignored after any change', async () => {
    await withMaildir(async (dir) => {
      await put(dir, 'cur', '1.M1P1.h:2,S', 'a\nb\n');
      await put(dir, 'cur', '2.M1P1.h:2,', 'c\n');
      // Each open in a process of its own (no index shared or parked in memory).
      const md = await openMaildir(dir);
      const f = await md.openFolder('INBOX');
      await f.setFlags([f.messages[1]!], 'add', [], ['Kw']);
      await f.sync();
      await f.close();
      await age(dir);
      const g = await md.openFolder('INBOX'); // scans (stamp changed), then leaves a snapshot
      await g.close();
      const snap = await readFile(join(dir, 'courier-ts.snapshot'), 'utf8');
      assert.match(
        snap,
        /^courier-ts-snapshot 2\t.*\t\d+\t3\t2\n1\t1\.M1P1\.h:2,S\t4\t2\t\d+\n2\t2\.M1P1\.h:2,\t2\t1\t\d+\tKw\n$/,
      );
      // Prove the next open believes it: a lie in the snapshot shows through.
      await writeFile(join(dir, 'courier-ts.snapshot'), snap.replace('\t4\t2\t', '\t40\t2\t'));
      const h = await md.openFolder('INBOX');
      assert.equal(h.byUid(1)!.size, 40);
      assert.deepEqual([...h.byUid(2)!.keywords], ['Kw']);
      assert.deepEqual(new Map(h.keywordCounts), new Map([['Kw', 1]]));
      await h.close();
      // Any change (here a flag rename by someone else) makes it stale.
      await rename(join(dir, 'cur', '2.M1P1.h:2,'), join(dir, 'cur', '2.M1P1.h:2,F'));
      await age(dir);
      const k = await md.openFolder('INBOX');
      assert.equal(k.byUid(1)!.size, 4);
      assert.deepEqual([...k.byUid(2)!.flags], ['F']);
      await k.close();
    });
  });
});

describe('snapshot never freezes a temporary UIDVALIDITY', () => {
  test('read-only session on a folder without courierimapuiddb leaves no snapshot', async () => {
    await withMaildir(async (dir) => {
      await put(dir, 'cur', '1.M1P1.h:2,S', 'a\n');
      const md = await openMaildir(dir);
      await (await md.openFolder('INBOX', { readOnly: true })).close(); // creates courierimapkeywords/
      const old = new Date(Date.now() - 60_000);
      for (const p of ['cur', 'new', 'courierimapkeywords']) await utimes(join(dir, p), old, old);
      const f = await md.openFolder('INBOX', { readOnly: true }); // changes nothing on disk
      await f.close();
      await assert.rejects(stat(join(dir, 'courier-ts.snapshot')));
      await assert.rejects(stat(join(dir, 'courierimapuiddb')));
    });
  });
});
