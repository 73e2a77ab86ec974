import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatUidDb, parseUidDb } from '@courier-ts/maildir/internals';

describe('courierimapuiddb', () => {
  test('round trip', () => {
    const text = '1 795848503 4\n1 1000.M1P1.h\n3 1002.M1P1.h,S=10\n';
    const r = parseUidDb(text);
    assert.equal(r.kind, 'ok');
    if (r.kind !== 'ok') return;
    assert.equal(r.db.uidValidity, 795848503);
    assert.equal(r.db.nextUid, 4);
    assert.deepEqual(
      [...r.db.entries],
      [
        ['1000.M1P1.h', 1],
        ['1002.M1P1.h,S=10', 3],
      ],
    );
    assert.equal(
      formatUidDb(
        795848503,
        4,
        [...r.db.entries].map(([k, u]) => [u, k] as const),
      ),
      text,
    );
  });
  test('fresh folder', () => {
    assert.equal(formatUidDb(795848503, 1, []), '1 795848503 1\n');
  });
  test('bad lines are skipped, as Courier does', () => {
    const r = parseUidDb('1 5 9\ngarbage\nx y\n2 ok\n\n');
    assert.ok(r.kind === 'ok');
    if (r.kind === 'ok') assert.deepEqual([...r.db.entries], [['ok', 2]]);
  });
  test('unreadable header or wrong version means rebuild', () => {
    for (const t of ['', '2 5 9\n', 'x\n', '1 5\n'])
      assert.equal(parseUidDb(t).kind, 'invalid', JSON.stringify(t));
  });
});

describe('courierimapuiddb damage never yields a UID twice', () => {
  test('next UID below existing UIDs, two names with one UID', async () => {
    const { mkdtemp, mkdir, rm, writeFile, readFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { openMaildir } = await import('@courier-ts/maildir');
    const dir = await mkdtemp(join(tmpdir(), 'uiddb-'));
    try {
      for (const sub of ['tmp', 'new', 'cur']) await mkdir(join(dir, sub));
      for (const n of ['1.M1P1.h', '2.M1P1.h', '3.M1P1.h'])
        await writeFile(join(dir, 'cur', `${n}:2,`), 'x\n');
      await writeFile(join(dir, 'courierimapuiddb'), '1 555 2\n5 1.M1P1.h\n5 2.M1P1.h\n');
      const f = await (await openMaildir(dir)).openFolder('INBOX');
      const uids = f.messages.map((m) => m.uid);
      assert.equal(new Set(uids).size, 3);
      assert.equal(f.uidValidity, 555);
      assert.deepEqual(uids, [5, 6, 7]);
      assert.equal((await readFile(join(dir, 'courierimapuiddb'), 'utf8')).split('\n')[0], '1 555 8');
      await f.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
