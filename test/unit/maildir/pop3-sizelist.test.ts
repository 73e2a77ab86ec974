import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { comparePop3Names, formatSizelist, parseSizelist } from '@courier-ts/maildir/internals';
import { referenceCmpmsgs } from './helpers.js';

describe('courierpop3dsizelist', () => {
  // Written by courierpop3d 5.0.13 for four messages.
  const COURIER =
    '/3 5 1795853506\n1000.M1P1.h:2, 33 1:1795853506:0\n1001.M1P1.h:2, 132 2:1795853506:1\n' +
    '1002.M2P1.h:2, 24 3:1795853506:1\n1003.M2P1.h,S=99:2, 28 4:1795853506:0\n';
  test('round trip of a file Courier wrote', () => {
    const s = parseSizelist(COURIER);
    assert.ok(s);
    assert.equal(s.nextUid, 5);
    assert.equal(s.uidv, 1795853506);
    assert.equal(s.outdated, false);
    assert.equal(formatSizelist(s.nextUid, s.uidv!, s.entries), COURIER);
  });
  test('version 2 lines (no :utf8) are read and marked for rewrite; other versions rejected', () => {
    const s = parseSizelist('/2 3 77\na:2,S 10 1:77\nb 20 2:77\n');
    assert.ok(s?.outdated);
    assert.deepEqual(
      s?.entries.map((e) => [e.filename, e.size, e.uid, e.uidv, e.utf8]),
      [
        ['a:2,S', 10, 1, 77, false],
        ['b', 20, 2, 77, false],
      ],
    );
    assert.equal(parseSizelist('/4 3 77\n'), undefined);
    assert.equal(parseSizelist('garbage'), undefined);
  });
  test('order: numeric prefix, then bytes up to the flags', () => {
    assert.ok(comparePop3Names('99.Mx', '100.Ma') < 0);
    assert.equal(comparePop3Names('5.M1:2,S', '5.M1:2,'), 0);
    assert.ok(comparePop3Names('5.M1', '5.M2') < 0);
  });
  test('order: the same as a byte-by-byte cmpmsgs for every pair of a varied set of names', () => {
    const cmpmsgs = referenceCmpmsgs;

    const names = [
      '',
      '5',
      '5:',
      '5.M1',
      '5.M1:2,',
      '5.M1:2,S',
      '5.M1x',
      '5.M1-',
      '5.M10:2,',
      '5.M1.:2,',
      'a',
      'a:',
      'ab:',
      'abc:',
      'ab',
      'a.b:2,',
      '-3.x',
      ' 7.x',
      '07.x',
      '1e3.x',
      'é:2,',
      'e:2,',
      'eé',
      'e\u{1F600}',
      'e\uFFFD',
      'é',
      '1325377279.M0P4242Q1.mx1,S=9259:2,S',
      '1325377279.M0P4242Q1.mx1,S=9259:2,',
      '1325377279.M0P4242Q10.mx1:2,',
    ];
    for (const a of names) {
      for (const b of names) assert.equal(comparePop3Names(a, b), cmpmsgs(a, b), `${a} vs ${b}`);
    }
  });
  test('an unsorted file is sorted, equal names keeping the order of the file', () => {
    const s = parseSizelist('/3 9 7\n3.c:2, 3 3:7:0\n1.a:2,S 1 1:7:1\n3.c:2,S 4 4:7:0\n2.b 2 2:7:-1\n');
    assert.deepEqual(
      s?.entries.map((e) => [e.filename, e.size, e.uid, e.utf8]),
      [
        ['1.a:2,S', 1, 1, true],
        ['2.b', 2, 2, true],
        ['3.c:2,', 3, 3, false],
        ['3.c:2,S', 4, 4, false],
      ],
    );
  });
  test('lines pop3dserver.c would not read are skipped; an unterminated last line too', () => {
    const s = parseSizelist(
      '/3 9\n a 1 1:7\nnoSpaces\nx 1x 2:7\nx 1 2\nx 1 :7\nx 1 2:\nok name 5 6:7:0junk\nneg 1 2:3:-0\nlast 1 2:3',
    );
    assert.equal(s?.uidv, undefined);
    assert.deepEqual(
      s?.entries.map((e) => [e.filename, e.size, e.uid, e.uidv, e.utf8]),
      [
        [' a', 1, 1, 7, false],
        ['neg', 1, 2, 3, false],
        ['ok name', 5, 6, 7, false],
      ],
    );
  });
});
