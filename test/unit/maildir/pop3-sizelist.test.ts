import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { comparePop3Names, formatSizelist, parseSizelist } from '@courier-ts/maildir/internals';

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
});
