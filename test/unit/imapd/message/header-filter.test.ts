import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { filterHeaderBlock, type HeaderFilter } from '@courier-ts/imapd';

const HEADER =
  'From: a@b.c\nTo: x@y.z,\n  w@v.u\nSubject: hi\nContent-Type: text/plain\nMIME-Version: 1.0\n\n';

const cases: ReadonlyArray<readonly [string, HeaderFilter, string[], string]> = [
  [
    'fields keep whole folded fields',
    'fields',
    ['to', 'SUBJECT'],
    'To: x@y.z,\r\n  w@v.u\r\nSubject: hi\r\n\r\n',
  ],
  ['no match gives the blank line', 'fields', ['X-None'], '\r\n'],
  [
    'NOT drops the named fields',
    'not',
    ['From', 'to'],
    'Subject: hi\r\nContent-Type: text/plain\r\nMIME-Version: 1.0\r\n\r\n',
  ],
  [
    'MIME keeps Content-* and MIME-Version',
    'mime',
    [],
    'Content-Type: text/plain\r\nMIME-Version: 1.0\r\n\r\n',
  ],
  ['names compare exactly (no prefix match)', 'fields', ['Subj'], '\r\n'],
];

describe('filterHeaderBlock (up to 8 KiB)', () => {
  for (const [name, filter, names, want] of cases) {
    test(name, () =>
      assert.equal(filterHeaderBlock(Buffer.from(HEADER), filter, names).toString('latin1'), want),
    );
  }
  test('a CRLF blank line counts as a continuation of a kept field (Courier)', () => {
    const h = Buffer.from('Subject: hi\r\n\r\n');
    assert.equal(
      filterHeaderBlock(h, 'fields', ['Subject']).toString('latin1'),
      'Subject: hi\r\r\n\r\r\n\r\n',
    );
  });
});

describe('filterHeaderBlock (over 8 KiB: Courier file variant)', () => {
  const big = `X-Pad: ${'p'.repeat(9000)}\n${HEADER}`;
  test('fields end with one CRLF', () => {
    assert.equal(
      filterHeaderBlock(Buffer.from(big), 'fields', ['Subject']).toString('latin1'),
      'Subject: hi\r\n\r\n',
    );
  });
  test('NOT keeps the header block blank line and adds CRLF', () => {
    const out = filterHeaderBlock(Buffer.from(big), 'not', [
      'X-Pad',
      'From',
      'To',
      'Content-Type',
      'MIME-Version',
    ]);
    assert.equal(out.toString('latin1'), 'Subject: hi\r\n\r\n\r\n');
  });
});
