import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ArgReader,
  firstOutOfRange,
  formatSequenceSet,
  iterateRanges,
  parseSequenceSet,
  rangesContain,
  resolveSequenceSet,
} from '@courier-ts/imapd';
import { parseArgs } from './parser-harness.js';

const resolveCases: ReadonlyArray<readonly [string, number, string]> = [
  ['1', 5, '1'],
  ['1:*', 5, '1:5'],
  ['*', 5, '5'],
  ['*:3', 5, '3:5'],
  ['20:18', 30, '18:20'], // RFC 3501 reversal; Courier selects nothing (deliberate difference)
  ['2,4:5,1', 5, '1:2,4:5'],
  ['3:4,4:6,7', 10, '3:7'],
  ['1:3,2', 10, '1:3'],
  ['6:9', 5, ''],
  ['4:9', 5, '4:5'],
  ['100:*', 50, '50'], // UID 100:* with highest UID 50 → 50 (Courier: nothing)
  ['1:*', 0, ''],
  ['*', 0, ''],
  ['4294967295', 3, ''],
];

describe('sequence sets', () => {
  for (const [text, max, want] of resolveCases) {
    test(`${text} against ${max} → ${want || '(none)'}`, () => {
      const [tok] = parseArgs(`a FETCH ${text} FLAGS\r\n`);
      const set = new ArgReader([tok!]).sequenceSet();
      const ranges = resolveSequenceSet(set, max);
      assert.equal(ranges.map(([a, b]) => (a === b ? `${a}` : `${a}:${b}`)).join(','), want);
    });
  }

  for (const bad of ['', '0', '1:0', 'a', '1,,2', '1:', ':2', '1:2:3', '-1', '4294967296', '1.5', '$']) {
    test(`invalid: ${JSON.stringify(bad)}`, () => {
      assert.throws(() => parseSequenceSet(bad), { name: 'ImapSyntaxError' });
    });
  }

  test('parse keeps order and stars', () => {
    assert.deepEqual(parseSequenceSet('5,*:2,7'), [
      { from: 5, to: 5 },
      { from: '*', to: 2 },
      { from: 7, to: 7 },
    ]);
  });

  test('firstOutOfRange finds explicit numbers above the count', () => {
    assert.equal(firstOutOfRange(parseSequenceSet('1:*,99'), 20), 99);
    assert.equal(firstOutOfRange(parseSequenceSet('1:*,20'), 20), null);
    assert.equal(firstOutOfRange(parseSequenceSet('25:2'), 20), 25);
  });

  test('iterate and contain', () => {
    const r = resolveSequenceSet(parseSequenceSet('2:3,7,9:10'), 10);
    assert.deepEqual([...iterateRanges(r)], [2, 3, 7, 9, 10]);
    assert.deepEqual(
      [1, 2, 3, 4, 7, 8, 10, 11].map((n) => rangesContain(r, n)),
      [false, true, true, false, true, false, true, false],
    );
  });

  const formatCases: ReadonlyArray<readonly [number[], string]> = [
    [[], ''],
    [[1], '1'],
    [[1, 2, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], '1:2,4,6:20'],
    [[5, 3, 4], '5,3:4'],
  ];
  for (const [nums, want] of formatCases) {
    test(`format ${JSON.stringify(nums)} → ${want}`, () => assert.equal(formatSequenceSet(nums), want));
  }
});
