// A session's \Recent UIDs kept as ranges: the same answers as a plain set, for UIDs that grow scan
// after scan, for expunges, and for UIDs that start again from 1 (a rebuilt uiddb).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RecentUids } from '@courier-ts/maildir/internals';

function check(r: RecentUids, model: Set<number>, upTo: number, label: string): void {
  assert.equal(r.size, model.size, `${label}: size`);
  for (let u = 0; u <= upTo; u++) assert.equal(r.has(u), model.has(u), `${label}: uid ${u}`);
}

describe('RecentUids', () => {
  test('scans, expunges and a restart from 1 give what a Set gives', () => {
    const steps: Array<readonly ['add', readonly number[]] | readonly ['del', readonly number[]]> = [
      ['add', [1, 2, 3, 4, 5]],
      ['add', []],
      ['add', [6, 7]],
      ['del', [2, 7, 99]],
      ['add', [9, 10, 12]],
      ['del', [9, 12, 12]],
      ['add', [13]],
      ['add', [1, 2, 3]], // UIDs from 1 again: 2 was expunged, comes back
      ['del', [1, 13]],
      ['add', [20, 21, 22]],
    ];
    const r = new RecentUids();
    const model = new Set<number>();
    steps.forEach(([op, uids], i) => {
      for (const u of uids) {
        if (op === 'add') model.add(u);
        else model.delete(u);
      }
      if (op === 'add') r.addAll(uids);
      else for (const u of uids) r.delete(u);
      check(r, model, 25, `step ${i}`);
    });
  });

  test('a first open of 100,000 messages is one range', () => {
    const r = new RecentUids();
    r.addAll(Array.from({ length: 100_000 }, (_, i) => i + 1));
    assert.equal(r.size, 100_000);
    assert.equal(r.has(1), true);
    assert.equal(r.has(100_000), true);
    assert.equal(r.has(100_001), false);
    assert.equal(r.has(0), false);
    r.delete(500);
    assert.equal(r.has(500), false);
    assert.equal(r.size, 99_999);
  });
});
