import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromCrlf, toCrlf } from '@courier-ts/imapd';

test('toCrlf turns every LF into CRLF, other CRs pass', () => {
  assert.equal(toCrlf(Buffer.from('a\nb\r\nc')).toString(), 'a\r\nb\r\r\nc');
  assert.equal(toCrlf(Buffer.from('none')).toString(), 'none');
});

test('fromCrlf undoes toCrlf exactly', () => {
  for (const s of ['a\nb\r\nc', '\n\n', '\r\r\n\r', 'x', '', 'a\r\n\r\nb\n']) {
    assert.equal(fromCrlf(toCrlf(Buffer.from(s))).toString(), s, JSON.stringify(s));
  }
});
