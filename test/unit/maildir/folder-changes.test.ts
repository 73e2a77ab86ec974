// The folder-change tracker (inotify watches + our own announced changes) that lets a retained or
// shared folder index skip listing cur/: it must answer "unchanged" after our own renames/unlinks
// only, and never after anyone else's change, however soon after ours it comes.
import assert from 'node:assert/strict';
import { mkdir, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createMaildirSharing, type Folder, openMaildir } from '@courier-ts/maildir';
import { FolderChanges, formatUidDb, watchableFolder } from '@courier-ts/maildir/internals';
import { put, tempDir, withMaildir } from './helpers.js';

const view = (f: Folder) => f.messages.map((m) => [m.uid, [...m.flags].sort().join('')]);

/** A clock `offset` ms ahead, so a full scan (maildir_purgetmp) removes a file put in tmp/ now. */
function scanDetector(dir: string): {
  clock: { now: () => number };
  arm: () => Promise<() => Promise<boolean>>;
} {
  let offset = 0;
  return {
    clock: { now: () => Date.now() + offset },
    async arm() {
      const stale = join(dir, 'tmp', `${Date.now()}.stale.h`);
      await writeFile(stale, 'x');
      offset = 3 * 86400_000;
      /** True when a full scan ran since `arm` (the stale tmp file is gone). */
      return () =>
        stat(stale).then(
          () => false,
          () => true,
        );
    },
  };
}

describe('FolderChanges', () => {
  test('own announced renames/unlinks leave the folder unchanged; any other change does not', async () => {
    await withMaildir(async (dir) => {
      await put(dir, 'cur', '1.M1P1.h:2,', 'a\n');
      await put(dir, 'cur', '2.M1P1.h:2,', 'b\n');
      await put(dir, 'cur', '3.M1P1.h:2,', 'c\n');
      const c = FolderChanges.start(dir);
      try {
        assert.equal(await c.unchanged(), false, 'dirty until the first look');
        c.begin();
        assert.equal(await c.unchanged(), true);
        c.expect('cur', '1.M1P1.h:2,');
        c.expect('cur', '1.M1P1.h:2,S');
        await rename(join(dir, 'cur', '1.M1P1.h:2,'), join(dir, 'cur', '1.M1P1.h:2,S'));
        c.expect('cur', '3.M1P1.h:2,');
        await unlink(join(dir, 'cur', '3.M1P1.h:2,'));
        // Attributes and our own files in the folder dir are not what a scan reads.
        await utimes(join(dir, 'cur', '2.M1P1.h:2,'), new Date(), new Date());
        await writeFile(join(dir, 'courier-ts.cache'), 'x');
        assert.equal(await c.unchanged(), true);
        // The same message renamed again right after ours: not announced.
        await rename(join(dir, 'cur', '1.M1P1.h:2,S'), join(dir, 'cur', '1.M1P1.h:2,FS'));
        assert.equal(await c.unchanged(), false);
        c.begin();
        // Announced A -> B, but someone else's rename A -> C happened.
        c.expect('cur', '2.M1P1.h:2,');
        c.expect('cur', '2.M1P1.h:2,S');
        await rename(join(dir, 'cur', '2.M1P1.h:2,'), join(dir, 'cur', '2.M1P1.h:2,T'));
        assert.equal(await c.unchanged(), false);
        c.begin();
        await put(dir, 'new', '4.M1P1.h', 'd\n');
        assert.equal(await c.unchanged(), false, 'a delivery into new/');
        c.begin();
        await writeFile(join(dir, 'tmp', 'u'), formatUidDb(7, 1, []));
        await rename(join(dir, 'tmp', 'u'), join(dir, 'courierimapuiddb'));
        assert.equal(await c.unchanged(), false, 'courierimapuiddb replaced');
        c.begin();
        c.expect('root', 'courierimapuiddb');
        await writeFile(join(dir, 'tmp', 'u'), formatUidDb(7, 1, []));
        await rename(join(dir, 'tmp', 'u'), join(dir, 'courierimapuiddb'));
        assert.equal(await c.unchanged(), true, 'our own uiddb write');
        // Announcements are forgotten at the next look: a later change of that name is foreign.
        c.expect('cur', '9.M1P1.h:2,');
        c.begin();
        await put(dir, 'cur', '9.M1P1.h:2,', 'e\n');
        assert.equal(await c.unchanged(), false);
      } finally {
        c.close();
      }
    });
  });

  test('the keyword dir: any change is seen; its creation after the start leaves the folder dirty', async () => {
    await withMaildir(async (dir) => {
      const c = FolderChanges.start(dir);
      try {
        c.begin();
        await writeFile(join(dir, 'x'), 'x'); // a file of no interest in the folder dir
        assert.equal(await c.unchanged(), true);
        await mkdir(join(dir, 'courierimapkeywords'));
        assert.equal(await c.unchanged(), false);
        c.begin();
        assert.equal(await c.unchanged(), false, 'not watched: never clean again');
      } finally {
        c.close();
      }
      await put(dir, 'cur', '1.M1P1.h:2,', 'a\n');
      const d = FolderChanges.start(dir);
      try {
        d.begin();
        await writeFile(join(dir, 'courierimapkeywords', '1.M1P1.h'), 'Kw\n');
        assert.equal(await d.unchanged(), false, 'a keyword update by someone else');
      } finally {
        d.close();
      }
    });
  });

  test('a watched directory that goes away, or a clean answer older than the trust window, is never clean', async () => {
    await withMaildir(async (dir) => {
      const c = FolderChanges.start(dir);
      const late = FolderChanges.start(dir, 0);
      try {
        c.begin();
        late.begin();
        assert.equal(await c.unchanged(), true);
        assert.equal(await late.unchanged(), false, 'trust window over: look at the disk');
        await rename(join(dir, 'new'), join(dir, 'new2'));
        await rename(join(dir, 'new2'), join(dir, 'new'));
        assert.equal(await c.unchanged(), false);
        c.begin();
        assert.equal(await c.unchanged(), false, 'broken for good');
      } finally {
        c.close();
        late.close();
      }
      // Not watchable (a network file system): never clean.
      const remote = FolderChanges.start(dir, undefined, false);
      remote.begin();
      assert.equal(await remote.unchanged(), false);
      remote.close();
      assert.equal(await watchableFolder(join(dir, 'no-such-dir')), false);
      const { dir: empty, cleanup } = await tempDir();
      const none = FolderChanges.start(empty); // no cur/ or new/: nothing to watch
      try {
        none.begin();
        assert.equal(await none.unchanged(), false);
      } finally {
        none.close();
        await cleanup();
      }
    });
  });
});

describe('a folder index kept in memory after its last session (no stale answers)', () => {
  test('reopened at once after a cold open: from memory, no rescan, new/ moves and uiddb write were ours', async () => {
    await withMaildir(async (dir) => {
      await put(dir, 'cur', '1.M1P1.h:2,S', 'a\n');
      await put(dir, 'new', '2.M1P1.h', 'b\n');
      const scans = scanDetector(dir);
      const md = await openMaildir(dir, { sharing: createMaildirSharing(), clock: scans.clock });
      const a = await md.openFolder('INBOX', { details: 'lazy' });
      const seen = a.messages;
      await a.close();
      const scanned = await scans.arm();
      const b = await md.openFolder('INBOX', { details: 'lazy' });
      assert.equal(await scanned(), false, 'no rescan');
      assert.deepEqual(
        b.messages.map((m) => [m.uid, m.filename, m.recent]),
        seen.map((m) => [m.uid, m.filename, false]),
      );
      assert.deepEqual(
        b.messages.map((m) => m.filename),
        ['1.M1P1.h:2,S', '2.M1P1.h:2,'],
      );
      await b.close();
    });
  });

  for (const [what, change, expected] of [
    [
      'a delivery into new/',
      (dir: string) => put(dir, 'new', '3.M1P1.h', 'c\n'),
      [
        [1, 'S'],
        [2, ''],
        [3, ''],
      ],
    ],
    [
      'a flag rename',
      (dir: string) => rename(join(dir, 'cur', '2.M1P1.h:2,'), join(dir, 'cur', '2.M1P1.h:2,F')),
      [
        [1, 'S'],
        [2, 'F'],
      ],
    ],
    ['an unlink', (dir: string) => unlink(join(dir, 'cur', '2.M1P1.h:2,')), [[1, 'S']]],
  ] as const) {
    test(`${what} by another process while it was parked is seen on reopen`, async () => {
      await withMaildir(async (dir) => {
        await put(dir, 'cur', '1.M1P1.h:2,S', 'a\n');
        await put(dir, 'cur', '2.M1P1.h:2,', 'b\n');
        const md = await openMaildir(dir, { sharing: createMaildirSharing() });
        await (await md.openFolder('INBOX', { details: 'lazy' })).close();
        await change(dir); // at once: the directory mtimes cannot tell (same clock tick)
        const b = await md.openFolder('INBOX', { details: 'lazy' });
        assert.deepEqual(view(b), expected);
        await b.close();
      });
    });
  }

  test('courierimapuiddb rewritten by Courier while the folder was closed: new UIDs seen', async () => {
    await withMaildir(async (dir) => {
      await put(dir, 'cur', '1.M1P1.h:2,', 'a\n');
      await put(dir, 'cur', '2.M1P1.h:2,', 'b\n');
      const md = await openMaildir(dir, { sharing: createMaildirSharing() });
      const a = await md.openFolder('INBOX', { details: 'lazy' });
      assert.notEqual(a.uidValidity, 4242);
      await a.close();
      await writeFile(
        join(dir, 'tmp', 'uiddb.new'),
        formatUidDb(4242, 12, [
          [10, '1.M1P1.h'],
          [11, '2.M1P1.h'],
        ]),
      );
      await rename(join(dir, 'tmp', 'uiddb.new'), join(dir, 'courierimapuiddb'));
      const b = await md.openFolder('INBOX', { details: 'lazy' });
      assert.equal(b.uidValidity, 4242);
      assert.deepEqual(
        b.messages.map((m) => m.uid),
        [10, 11],
      );
      await b.close();
    });
  });

  test('own STORE and EXPUNGE: the next sync does not rescan; a delivery and an unlink right after are seen', async () => {
    await withMaildir(async (dir) => {
      for (const i of [1, 2, 3, 4]) await put(dir, 'cur', `${i}.M1P1.h:2,`, `${i}\n`);
      const scans = scanDetector(dir);
      const md = await openMaildir(dir, { sharing: createMaildirSharing(), clock: scans.clock });
      const a = await md.openFolder('INBOX', { details: 'lazy' });
      const b = await md.openFolder('INBOX', { details: 'lazy' });
      const scanned = await scans.arm();
      const [m1, m2, , m4] = a.messages;
      await a.setFlags([m1!], 'add', ['F']);
      await a.setFlags([m1!], 'remove', ['F']);
      await a.setFlags([m2!], 'add', ['S', 'T']);
      await a.expunge([m4!]);
      const cb = await b.sync();
      assert.equal(await scanned(), false, 'no rescan after our own changes');
      assert.deepEqual(
        cb.flagsChanged.map((m) => [m.uid, [...m.flags].sort().join('')]),
        [[2, 'ST']],
      );
      assert.deepEqual(cb.expunged, [4]);
      // Someone else, in the same instant as our change.
      await a.setFlags([m1!], 'add', ['S']);
      await put(dir, 'new', '5.M1P1.h', '5\n');
      await unlink(join(dir, 'cur', '3.M1P1.h:2,'));
      const cb2 = await b.sync();
      assert.deepEqual(
        cb2.added.map((m) => m.uid),
        [5],
      );
      assert.deepEqual(cb2.expunged, [3]);
      assert.deepEqual(view(b), [
        [1, 'S'],
        [2, 'ST'],
        [5, ''],
      ]);
      assert.equal(await scanned(), true, 'that sync scanned');
      await a.close();
      await b.close();
    });
  });

  test('a STORE that finds the file renamed by someone else makes the next sync look at the disk', async () => {
    await withMaildir(async (dir) => {
      await put(dir, 'cur', '1.M1P1.h:2,', 'a\n');
      await put(dir, 'cur', '2.M1P1.h:2,', 'b\n');
      const md = await openMaildir(dir, { sharing: createMaildirSharing() });
      const a = await md.openFolder('INBOX', { details: 'lazy' });
      // Someone renames 1 (adds R) and delivers; our STORE then follows the rename.
      await rename(join(dir, 'cur', '1.M1P1.h:2,'), join(dir, 'cur', '1.M1P1.h:2,R'));
      await a.setFlags([a.messages[0]!], 'add', ['S']);
      assert.deepEqual(view(a)[0], [1, 'RS']);
      await put(dir, 'cur', '3.M1P1.h:2,', 'c\n');
      const c = await a.sync();
      assert.deepEqual(
        c.added.map((m) => m.uid),
        [3],
      );
      await a.close();
    });
  });

  test('the last close after a cold open leaves a snapshot once nothing but our changes happened', async () => {
    await withMaildir(async (dir) => {
      await put(dir, 'cur', '1.M1P1.h:2,S', 'a\nb\n');
      await put(dir, 'new', '2.M1P1.h', 'c\n');
      // Without a process-wide sharing the index is dropped at its last close.
      const f = await (await openMaildir(dir)).openFolder('INBOX');
      await new Promise((r) => setTimeout(r, 150)); // older than the stamp's margin (ns mtimes)
      await f.close();
      const snap = await readFile(join(dir, 'courier-ts.snapshot'), 'utf8');
      assert.match(snap, /\n1\t1\.M1P1\.h:2,S\t4\t2\t\d+\n2\t2\.M1P1\.h:2,\t2\t1\t\d+\n$/);
      // The next open believes it (a lie shows through) ...
      await writeFile(join(dir, 'courier-ts.snapshot'), snap.replace('\t4\t2\t', '\t40\t2\t'));
      const g = await (await openMaildir(dir)).openFolder('INBOX');
      assert.equal(g.byUid(1)!.size, 40);
      await g.close();
      // ... until anything changes.
      await rename(join(dir, 'cur', '2.M1P1.h:2,'), join(dir, 'cur', '2.M1P1.h:2,F'));
      await new Promise((r) => setTimeout(r, 150));
      const h = await (await openMaildir(dir)).openFolder('INBOX');
      assert.equal(h.byUid(1)!.size, 4);
      assert.deepEqual(view(h), [
        [1, 'S'],
        [2, 'F'],
      ]);
      await h.close();
    });
  });
});

describe('courierimapuiddb after our own EXPUNGE', () => {
  test('the removed messages leave the uiddb at the next sync (where Courier rescans), without a rescan', async () => {
    await withMaildir(async (dir) => {
      for (const i of [1, 2, 3]) await put(dir, 'cur', `${i}.M1P1.h:2,`, `${i}\n`);
      const scans = scanDetector(dir);
      const md = await openMaildir(dir, { sharing: createMaildirSharing(), clock: scans.clock });
      const a = await md.openFolder('INBOX', { details: 'lazy' });
      const uidv = a.uidValidity;
      const all = formatUidDb(uidv, 4, [
        [1, '1.M1P1.h'],
        [2, '2.M1P1.h'],
        [3, '3.M1P1.h'],
      ]);
      assert.equal(await readFile(join(dir, 'courierimapuiddb'), 'utf8'), all);
      const scanned = await scans.arm();
      const [m1, , m3] = a.messages;
      assert.deepEqual(await a.expunge([m1!, m3!]), [1, 3]);
      // As Courier leaves it until its next scan (an EXPUNGE then LOGOUT keeps the rows).
      assert.equal(await readFile(join(dir, 'courierimapuiddb'), 'utf8'), all);
      await a.sync();
      assert.equal(
        await readFile(join(dir, 'courierimapuiddb'), 'utf8'),
        formatUidDb(uidv, 4, [[2, '2.M1P1.h']]),
      );
      assert.equal(await scanned(), false, 'rows dropped in place, cur/ not listed');
      // The rewrite was ours: the next sync has nothing to do either.
      assert.deepEqual((await a.sync()).added, []);
      assert.equal(await scanned(), false);
      await a.close();
    });
  });

  test('rows another process added meanwhile stay', async () => {
    await withMaildir(async (dir) => {
      for (const i of [1, 2]) await put(dir, 'cur', `${i}.M1P1.h:2,`, `${i}\n`);
      const md = await openMaildir(dir, { sharing: createMaildirSharing() });
      const a = await md.openFolder('INBOX', { details: 'lazy' });
      const uidv = a.uidValidity;
      await a.expunge([a.messages[0]!]);
      // Another process numbers a delivery before our next sync.
      await put(dir, 'cur', '4.M1P1.h:2,', '4\n');
      await writeFile(
        join(dir, 'tmp', 'uiddb.new'),
        formatUidDb(uidv, 5, [
          [1, '1.M1P1.h'],
          [2, '2.M1P1.h'],
          [4, '4.M1P1.h'],
        ]),
      );
      await rename(join(dir, 'tmp', 'uiddb.new'), join(dir, 'courierimapuiddb'));
      const c = await a.sync();
      assert.deepEqual(
        c.added.map((m) => m.uid),
        [4],
      );
      assert.equal(
        await readFile(join(dir, 'courierimapuiddb'), 'utf8'),
        formatUidDb(uidv, 5, [
          [2, '2.M1P1.h'],
          [4, '4.M1P1.h'],
        ]),
      );
      await a.close();
    });
  });
});

describe('\\Recent of the opening scan', () => {
  test('the first session keeps every message \\Recent; sessions attaching later see none', async () => {
    await withMaildir(async (dir) => {
      await put(dir, 'cur', '1.M1P1.h:2,S', 'a\n');
      await put(dir, 'new', '2.M1P1.h', 'b\n');
      const md = await openMaildir(dir, { sharing: createMaildirSharing() });
      const recent = (f: Folder) => f.messages.map((m) => [m.uid, m.recent]);
      const a = await md.openFolder('INBOX', { details: 'lazy' });
      assert.deepEqual(recent(a), [
        [1, true],
        [2, true],
      ]);
      const b = await md.openFolder('INBOX', { details: 'lazy' });
      assert.deepEqual(recent(b), [
        [1, false],
        [2, false],
      ]);
      assert.deepEqual(recent(a), [
        [1, true],
        [2, true],
      ]);
      await b.setFlags([b.messages[0]!], 'add', ['F']);
      const ca = await a.sync();
      assert.deepEqual(
        ca.flagsChanged.map((m) => [m.uid, m.recent]),
        [[1, true]],
      );
      assert.deepEqual(recent(a), [
        [1, true],
        [2, true],
      ]);
      await b.sync();
      assert.deepEqual(recent(b), [
        [1, false],
        [2, false],
      ]);
      await a.close();
      await b.close();
      const c = await md.openFolder('INBOX', { details: 'lazy' });
      assert.deepEqual(recent(c), [
        [1, false],
        [2, false],
      ]);
      await c.close();
    });
  });
});
