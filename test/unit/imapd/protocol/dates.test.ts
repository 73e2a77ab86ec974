import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ArgReader, formatImapDateTime, parseImapDate } from '@courier-ts/imapd';
import { parseArgs } from './parser-harness.js';

describe('date (SEARCH)', () => {
  const cases: ReadonlyArray<readonly [string, string | null]> = [
    ['01-Jan-2024', '2024-1-1'],
    ['1-jan-2024', '2024-1-1'],
    ['"1-JAN-2024"', '2024-1-1'],
    ['29-Feb-2024', '2024-2-29'],
    ['29-Feb-2023', null],
    ['31-Apr-2024', null],
    ['0-Jan-2024', null],
    ['1-Foo-2024', null],
    ['1-Jan-24', null],
    ['2024-01-01', null],
  ];
  for (const [text, want] of cases) {
    test(`${text} → ${want}`, () => {
      const d = new ArgReader(parseArgs(`a SEARCH ${text}\r\n`)).date();
      assert.equal(d === null ? null : `${d.year}-${d.month}-${d.day}`, want);
    });
  }
  test('a list is not a date', () => {
    assert.throws(() => new ArgReader(parseArgs('a X (1)\r\n')).date(), { name: 'ImapSyntaxError' });
  });
  test('parseImapDate direct', () =>
    assert.deepEqual(parseImapDate('15-Aug-1999'), { year: 1999, month: 8, day: 15 }));
});

describe('date-time (APPEND)', () => {
  const cases: ReadonlyArray<readonly [string, string, number]> = [
    ['"01-Jan-2024 10:00:00 +0000"', '2024-01-01T10:00:00.000Z', 0],
    ['" 1-Jan-2024 10:00:00 +0200"', '2024-01-01T08:00:00.000Z', 120],
    ['"1-Jan-2024 00:30:00 -0130"', '2024-01-01T02:00:00.000Z', -90],
    ['"31-Dec-1999 23:59:59 -1200"', '2000-01-01T11:59:59.000Z', -720],
  ];
  for (const [text, iso, zone] of cases) {
    test(text, () => {
      const dt = new ArgReader(parseArgs(`a APPEND x ${text}\r\n`).slice(1)).dateTime();
      assert.equal(dt.date.toISOString(), iso);
      assert.equal(dt.zoneMinutes, zone);
    });
  }
  for (const bad of [
    '"01-Jan-2024 10:00 +0000"',
    '"32-Jan-2024 10:00:00 +0000"',
    '"01-Jan-2024 24:00:00 +0000"',
    '"01-Jan-2024 10:00:00 0000"',
    '"01-Jan-2024 10:00:00 +0060"',
    '01-Jan-2024',
    '{26}\r\n01-Jan-2024 10:00:00 +0000',
  ]) {
    test(`invalid ${JSON.stringify(bad)}`, () => {
      const args = parseArgs(`a APPEND x ${bad}\r\n`).slice(1);
      assert.throws(() => new ArgReader(args).dateTime(), { name: 'ImapSyntaxError' });
    });
  }
});

describe('formatImapDateTime', () => {
  const cases: ReadonlyArray<readonly [string, number, string]> = [
    ['2024-01-01T10:00:00Z', 0, '01-Jan-2024 10:00:00 +0000'],
    ['2024-01-01T10:00:00Z', 90, '01-Jan-2024 11:30:00 +0130'],
    ['2024-01-01T01:00:00Z', -300, '31-Dec-2023 20:00:00 -0500'],
    ['2024-11-05T07:08:09Z', 0, '05-Nov-2024 07:08:09 +0000'],
  ];
  for (const [iso, zone, want] of cases) {
    test(`${iso} ${zone} → ${want}`, () => assert.equal(formatImapDateTime(new Date(iso), zone), want));
  }
});
