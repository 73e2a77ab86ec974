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
