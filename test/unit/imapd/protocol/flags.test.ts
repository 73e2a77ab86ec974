import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ArgReader, parseStoreAction, parseStoreFlag } from '@courier-ts/imapd';
import { parseArgs } from './parser-harness.js';

describe('flags', () => {
  const ok: ReadonlyArray<readonly [string, string]> = [
    ['\\seen', '\\Seen'],
    ['\\ANSWERED', '\\Answered'],
    ['\\Flagged', '\\Flagged'],
    ['\\deleted', '\\Deleted'],
    ['\\draft', '\\Draft'],
    ['$Forwarded', '$Forwarded'],
    ['Work', 'Work'],
  ];
  for (const [text, want] of ok) test(`${text} → ${want}`, () => assert.equal(parseStoreFlag(text), want));
  for (const bad of ['\\Recent', '\\*', '\\Foo', 'a]b', 'a%', 'a*', 'a{b', '']) {
    test(`refused ${JSON.stringify(bad)}`, () =>
      assert.throws(() => parseStoreFlag(bad), { name: 'ImapSyntaxError' }));
  }

  test('flag list and bare flags for STORE', () => {
    assert.deepEqual(new ArgReader(parseArgs('a STORE (\\seen Work)\r\n')).storeFlags(), ['\\Seen', 'Work']);
    assert.deepEqual(new ArgReader(parseArgs('a STORE \\seen \\draft\r\n')).storeFlags(), [
      '\\Seen',
      '\\Draft',
    ]);
    assert.deepEqual(new ArgReader(parseArgs('a STORE ()\r\n')).storeFlags(), []);
    assert.throws(() => new ArgReader(parseArgs('a STORE ("x")\r\n')).flagList(), {
      name: 'ImapSyntaxError',
    });
    assert.throws(() => new ArgReader(parseArgs('a STORE\r\n')).storeFlags(), { name: 'ImapSyntaxError' });
  });
});

describe('store items', () => {
  const cases: ReadonlyArray<readonly [string, string, boolean]> = [
    ['FLAGS', 'set', false],
    ['+FLAGS', 'add', false],
    ['-flags', 'remove', false],
    ['FLAGS.SILENT', 'set', true],
    ['+FLAGS.silent', 'add', true],
    ['-FLAGS.SILENT', 'remove', true],
  ];
  for (const [text, mode, silent] of cases) {
    test(text, () => assert.deepEqual(parseStoreAction(text), { mode, silent }));
  }
  for (const bad of ['FLAG', '*FLAGS', 'FLAGS.LOUD', '+-FLAGS', 'BADITEM']) {
    test(`invalid ${bad}`, () => assert.throws(() => parseStoreAction(bad), { name: 'ImapSyntaxError' }));
  }
});
