import assert from 'node:assert/strict';
import { test } from 'node:test';
import { headerFields, selectFields, toCrlf } from '@courier-ts/imapd';

const BLOCK = toCrlf(Buffer.from('From: a@x\nSubject: one\n two\nTo: b@y\nX-Empty:\n\n'));

test('toCrlf turns every LF into CRLF', () => {
  assert.equal(toCrlf(Buffer.from('a\nb\r\nc')).toString(), 'a\r\nb\r\r\nc');
  assert.equal(toCrlf(Buffer.from('none')).toString(), 'none');
});

test('header fields keep folded lines and stop at the blank line', () => {
  assert.deepEqual(
    headerFields(BLOCK).map((f) => [f.name, f.raw.toString()]),
    [
      ['from', 'From: a@x\r\n'],
      ['subject', 'Subject: one\r\n two\r\n'],
      ['to', 'To: b@y\r\n'],
      ['x-empty', 'X-Empty:\r\n'],
    ],
  );
});

const SELECT_CASES: readonly [readonly string[], boolean, string][] = [
  [['subject'], false, 'Subject: one\r\n two\r\n\r\n'],
  [['SUBJECT', 'to'], false, 'Subject: one\r\n two\r\nTo: b@y\r\n\r\n'],
  [['nope'], false, '\r\n'],
  [['from', 'subject'], true, 'To: b@y\r\nX-Empty:\r\n\r\n'],
];

test('HEADER.FIELDS and HEADER.FIELDS.NOT', () => {
  for (const [names, not, want] of SELECT_CASES) {
    assert.equal(selectFields(BLOCK, names, not).toString(), want, `${names.join(',')} not=${not}`);
  }
});
