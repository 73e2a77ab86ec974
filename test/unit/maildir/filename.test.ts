import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  compareNames,
  deliveredName,
  infoSuffix,
  keyOf,
  parseName,
  sizeFromName,
  timeParts,
  tmpName,
} from '@courier-ts/maildir/internals';

describe('maildir file names', () => {
  test('parseName: key, flags, other letters, ,S=', () => {
    const p = parseName('1700000000.M1P2V0000000000000801I0000000000001234_0.host,S=123:2,FRS');
    assert.equal(p.key, '1700000000.M1P2V0000000000000801I0000000000001234_0.host,S=123');
    assert.deepEqual([...p.flags].sort(), ['F', 'R', 'S']);
    assert.equal(p.otherFlags, '');
    assert.equal(p.sizeHint, 123);
    const q = parseName('1.M1P1.h:2,aSxP');
    assert.deepEqual([...q.flags], ['S']);
    assert.equal(q.otherFlags, 'axP');
    assert.equal(parseName('1.M1P1.h').flags.size, 0);
    assert.equal(parseName('1.M1P1.h:1,S').flags.size, 0, 'experimental :1, info has no flags');
  });
  test('keyOf strips at the last colon (strrchr), as the uiddb scan does', () => {
    assert.equal(keyOf('a:b:2,S'), 'a:b');
    assert.equal(keyOf('plain'), 'plain');
  });
  test('sizeFromName', () => {
    assert.equal(sizeFromName('1.M1P1.h,S=42'), 42);
    assert.equal(sizeFromName('1.M1P1.h,S=42,W=50'), 42);
    assert.equal(sizeFromName('1.M1P1.h,S=x'), undefined);
    assert.equal(sizeFromName('1.M1P1.h'), undefined);
  });
  test('flags are written in D F R S T order, unknown letters kept', () => {
    assert.equal(infoSuffix(['T', 'S', 'D', 'F', 'R']), ':2,DFRST');
    assert.equal(infoSuffix([]), ':2,');
    assert.equal(infoSuffix(['S'], 'a'), ':2,Sa');
  });
  test("compareNames: leading number, then bytes with ':' as end (Courier's fnamcmp)", () => {
    const ordered = [
      '999.M9P9.h',
      '1795848191.M131984P1.h',
      '1795848191.M21534P1.h',
      '1795848191.M21534P1.h:2,S',
      '1795848191.M21534P1.hx',
      '1795848192.M1P1.h',
    ];
    for (let i = 0; i < ordered.length - 1; i++) {
      const c = compareNames(ordered[i]!, ordered[i + 1]!);
      if (ordered[i] === '1795848191.M21534P1.h') assert.equal(c, 0, 'suffix after : ignored');
      else assert.ok(c < 0, `${ordered[i]} < ${ordered[i + 1]}`);
    }
  });
  test('compareNames: non-ASCII compares as UTF-8 bytes', () => {
    assert.ok(compareNames('5.x\u00e9', '5.xz') > 0);
    assert.ok(compareNames('5.\u00e9a', '5.\u00e9b') < 0);
    assert.equal(compareNames('5.\u00e9:2,S', '5.\u00e9:2,'), 0);
    assert.ok(compareNames('5.\uffff', '5.\u{1F600}') < 0, 'EF BF BF < F0 9F 98 80');
  });
  test('unique names: Courier grammar, 16 uppercase hex digits for dev and inode', () => {
    const parts = { sec: 1700000000, usec: 4567, pid: 321, uniq: '7', host: 'mail.example' };
    assert.equal(tmpName(parts), '1700000000.M4567P321_7.mail.example');
    assert.equal(
      deliveredName(parts, 0x801n, 0xabcdefn, 99),
      '1700000000.M4567P321V0000000000000801I0000000000ABCDEF_7.mail.example,S=99',
    );
    assert.equal(
      deliveredName({ ...parts, uniq: '' }, 1n, 2n),
      '1700000000.M4567P321V0000000000000001I0000000000000002.mail.example',
    );
  });
  test('timeParts: usec not padded, from a fractional ms clock', () => {
    assert.deepEqual(timeParts(1700000000123.456), { sec: 1700000000, usec: 123456 });
    assert.deepEqual(timeParts(1700000000000), { sec: 1700000000, usec: 0 });
  });
});
