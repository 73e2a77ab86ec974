// Courier's order for the new messages of a scan: the shortcuts (a sorted list only checked, a short
// list merged into a long one) give exactly what sorting everything with compareNames gives.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compareNames, mergeNames, sortNames } from '@courier-ts/maildir/internals';

/** Deterministic names: most with a leading number (of varying length), some without. */
function names(count: number, seed: number): string[] {
  let s = seed;
  const rnd = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = rnd();
    if (r < 0.1) out.push(`x${Math.floor(rnd() * 1000)}.host:2,S`);
    else if (r < 0.2) out.push(`${Math.floor(rnd() * 100)}.M${i}P1.h:2,`);
    else out.push(`${1_700_000_000 + Math.floor(rnd() * 1000)}.M${i}P${Math.floor(rnd() * 9)}.h,S=${i}:2,`);
  }
  return out;
}

const reference = (list: readonly string[]) => [...list].sort(compareNames);

describe('name order', () => {
  for (const [label, list] of [
    ['empty', []],
    ['one', ['5.a']],
    ['ties by number, then bytes', ['10.b', '10.a', '9.z', '010.a', 'a.1', '10.a:2,S']],
    ['random 500', names(500, 1)],
    ['random 2000', names(2000, 7)],
  ] as const) {
    test(`sortNames: ${label}`, () => {
      const got = [...list];
      sortNames(got);
      assert.deepEqual(got, reference(list));
      const again = [...got];
      sortNames(again); // already sorted: left as it is
      assert.deepEqual(again, got);
    });
  }

  test('mergeNames of two sorted lists = sorting both together (ties keep the first list first)', () => {
    for (const seed of [1, 2, 3, 4]) {
      const a = reference(names(800, seed));
      const b = reference(names(30, seed + 100));
      assert.deepEqual(mergeNames(a, b), reference([...a, ...b]));
      assert.deepEqual(mergeNames(b, a), reference([...b, ...a]));
    }
    assert.deepEqual(mergeNames(['1.a', '2.a'], []), ['1.a', '2.a']);
    assert.deepEqual(mergeNames([], ['2.a', '3.b']), ['2.a', '3.b']);
    // Equal under compareNames (same number, same unique part): the first list's name comes first.
    assert.deepEqual(mergeNames(['7.a:2,S'], ['7.a:2,F']), ['7.a:2,S', '7.a:2,F']);
  });
});
