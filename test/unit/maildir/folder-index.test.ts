// The shared folder index's looks at the disk once the watches' trust window is over: after its
// own changes (the opening scan moved new/ to cur/ and wrote the uiddb; a flag rename) the stamp
// catches up while the watches vouch for the folder, so that look is the stamp check, not a full
// scan of the folder; a change by anyone else is still found.
import assert from 'node:assert/strict';
import { readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { FolderChanges, resolveContext } from '@courier-ts/maildir/internals';
import { repoRoot } from '../../support/paths.js';
import { captureLog, put, withMaildir } from './helpers.js';

type IndexModule = typeof import('../../../packages/maildir/src/store/folder-index.js');
type StampsModule = typeof import('../../../packages/maildir/src/store/index-stamps.js');
type StampModule = typeof import('../../../packages/maildir/src/store/folder-stamp.js');
const dist = (rel: string): string => pathToFileURL(join(repoRoot, 'packages', 'maildir', 'dist', rel)).href;
const { FolderIndex } = (await import(dist('store/folder-index.js'))) as IndexModule;
const { IndexStamps } = (await import(dist('store/index-stamps.js'))) as StampsModule;
const { takeStamp } = (await import(dist('store/folder-stamp.js'))) as StampModule;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The watches' trust window in these tests (10 s in the servers): long enough for settle(). */
const TRUST = 1500;

type Index = Awaited<ReturnType<IndexModule['FolderIndex']['open']>>;

/** A stamp taken now is trusted (its mtimes older than the file system's margin): wait for it. */
async function settle(dir: string): Promise<void> {
  for (let i = 0; i < 40 && !(await takeStamp(dir)).safe; i++) await sleep(100);
}

interface Opened {
  readonly index: Index;
  readonly dir: string;
  /** One look at the disk, as a session's SELECT or NOOP makes it. */
  readonly look: () => Promise<unknown>;
  readonly fullScans: () => number;
}

/** An index opened (a full scan) on a folder of 3 messages, 2 of them in new/. */
async function withIndex(fn: (o: Opened) => Promise<void>): Promise<void> {
  await withMaildir(async (dir) => {
    await put(dir, 'cur', '1.M1P1.h:2,S', 'a\n');
    await put(dir, 'new', '2.M1P1.h', 'b\n');
    await put(dir, 'new', '3.M1P1.h', 'c\n');
    const log = captureLog();
    const ctx = resolveContext(dir, { log });
    const index = await FolderIndex.open(ctx, 'INBOX', dir, false, false, TRUST);
    const fullScans = () => log.lines.filter((l) => l.msg === 'full scan').length;
    try {
      assert.equal(fullScans(), 1, 'the opening scan');
      await fn({ index, dir, look: () => index.serial(() => index.scan(ctx)), fullScans });
    } finally {
      await index.dispose();
    }
    assert.deepEqual(
      log.lines.filter((l) => l.level === 'error'),
      [],
    );
  });
}

describe('FolderIndex looks at the disk', () => {
  test('after the opening scan, the look past the trust window is the stamp check', async () => {
    await withIndex(async ({ index, dir, look, fullScans }) => {
      const before = index.list;
      await settle(dir);
      await look(); // within the trust window: the stamp catches up
      await sleep(TRUST + 100);
      await look(); // past it: the stamp check
      assert.equal(fullScans(), 1, 'no second full scan');
      assert.equal(index.list, before, 'same list');
      assert.deepEqual(
        index.list.map((r) => r.uid),
        [1, 2, 3],
      );
    });
  });

  test('the stamp catches up by itself: no session needs to look in the trust window', async () => {
    await withIndex(async ({ index, look, fullScans }) => {
      const before = index.list;
      await sleep(TRUST + 100);
      await look();
      assert.equal(fullScans(), 1, 'no second full scan');
      assert.equal(index.list, before, 'same list');
    });
  });

  test('a change by someone else after the catch-up is still found', async () => {
    await withIndex(async ({ index, dir, look, fullScans }) => {
      await settle(dir);
      await look();
      await sleep(TRUST + 100);
      const cur = await readdir(join(dir, 'cur'));
      const name = cur.find((n) => n.startsWith('2.'))!;
      await rename(join(dir, 'cur', name), join(dir, 'cur', `${name.replace(/:2,.*$/, '')}:2,F`));
      await look();
      assert.equal(fullScans(), 2);
      assert.deepEqual(
        index.list.map((r) => [r.uid, [...r.flags].join('')]),
        [
          [1, 'S'],
          [2, 'F'],
          [3, ''],
        ],
      );
    });
  });

  test('with no trust in the watches (window 0) every look reads the disk: a delivery is found', async () => {
    await withMaildir(async (dir) => {
      await put(dir, 'cur', '1.M1P1.h:2,S', 'a\n');
      const log = captureLog();
      const ctx = resolveContext(dir, { log });
      const index = await FolderIndex.open(ctx, 'INBOX', dir, false, false, 0);
      try {
        await settle(dir);
        await index.serial(() => index.scan(ctx));
        await put(dir, 'new', '2.M1P1.h', 'b\n');
        await index.serial(() => index.scan(ctx));
        assert.deepEqual(
          index.list.map((r) => r.uid),
          [1, 2],
        );
      } finally {
        await index.dispose();
      }
    });
  });
});

describe('IndexStamps', () => {
  test('our own change: the stamp catches up while the watches vouch for the folder', async () => {
    await withMaildir(async (dir) => {
      await put(dir, 'cur', '1.M1P1.h:2,', 'a\n');
      await settle(dir);
      const changes = FolderChanges.start(dir, 10_000);
      try {
        const stamps = new IndexStamps(dir, changes, (fn) => fn());
        changes.begin();
        stamps.confirmed(await takeStamp(dir));
        assert.ok(stamps.matches(await takeStamp(dir)));
        changes.expect('cur', '1.M1P1.h:2,');
        changes.expect('cur', '1.M1P1.h:2,S');
        await rename(join(dir, 'cur', '1.M1P1.h:2,'), join(dir, 'cur', '1.M1P1.h:2,S'));
        stamps.ownChange();
        assert.ok(!stamps.matches(await takeStamp(dir)), 'the stamp lags our rename');
        await settle(dir);
        await stamps.catchUp();
        assert.ok(stamps.matches(await takeStamp(dir)), 'caught up');
        stamps.stop();
      } finally {
        changes.close();
      }
    });
  });

  test("someone else's change: no catch-up (the next look reads the disk)", async () => {
    await withMaildir(async (dir) => {
      await put(dir, 'cur', '1.M1P1.h:2,', 'a\n');
      await settle(dir);
      const changes = FolderChanges.start(dir, 10_000);
      try {
        const stamps = new IndexStamps(dir, changes, (fn) => fn());
        changes.begin();
        stamps.confirmed(await takeStamp(dir));
        stamps.ownChange();
        await rename(join(dir, 'cur', '1.M1P1.h:2,'), join(dir, 'cur', '1.M1P1.h:2,S'));
        await settle(dir);
        await stamps.catchUp();
        assert.ok(!stamps.matches(await takeStamp(dir)), 'not trusted: not ours');
        stamps.stop();
      } finally {
        changes.close();
      }
    });
  });

  test('after our own change it catches up by itself, once a stamp can be trusted', async () => {
    await withMaildir(async (dir) => {
      await put(dir, 'cur', '1.M1P1.h:2,', 'a\n');
      await settle(dir);
      const changes = FolderChanges.start(dir, 10_000);
      const stamps = new IndexStamps(dir, changes, (fn) => fn());
      try {
        changes.begin();
        stamps.confirmed(await takeStamp(dir));
        changes.expect('cur', '1.M1P1.h:2,');
        changes.expect('cur', '1.M1P1.h:2,T');
        await rename(join(dir, 'cur', '1.M1P1.h:2,'), join(dir, 'cur', '1.M1P1.h:2,T'));
        stamps.ownChange();
        for (let i = 0; i < 50 && !stamps.matches(await takeStamp(dir)); i++) await sleep(100);
        assert.ok(stamps.matches(await takeStamp(dir)), 'caught up without being asked');
        assert.equal(stamps.lagging, false);
      } finally {
        stamps.stop();
        changes.close();
      }
    });
  });
});
