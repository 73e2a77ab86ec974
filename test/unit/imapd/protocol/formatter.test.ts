import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  atom,
  encodeString,
  formatContinuation,
  formatStatus,
  formatUntagged,
  formatValues,
  type ImapValue,
  literal,
  raw,
} from '@courier-ts/imapd';
import { parseArgs, showTokens } from './parser-harness.js';

const strings: ReadonlyArray<readonly [string | Buffer, string, boolean?]> = [
  ['hello', '"hello"'],
  ['', '""'],
  ['NIL', '"NIL"'],
  ['a "q" b', '"a \\"q\\" b"'],
  ['back\\slash', '"back\\\\slash"'],
  ['two\r\nlines', '{10}\r\ntwo\r\nlines'],
  ['lf\nonly', '{7}\r\nlf\nonly'],
  ['caf\u00e9', '{5}\r\ncaf\u00c3\u00a9'],
  ['caf\u00e9', '"caf\u00c3\u00a9"', true],
  [Buffer.from([0x63, 0xe9]), '{2}\r\nc\u00e9', true], // not UTF-8: literal even with UTF8=ACCEPT
  [Buffer.from('a\0b'), '{3}\r\na\0b'],
  ['x'.repeat(8192), `"${'x'.repeat(8192)}"`],
  ['x'.repeat(8193), `{8193}\r\n${'x'.repeat(8193)}`],
];

describe('encodeString', () => {
  for (const [value, want, utf8] of strings) {
    const label = typeof value === 'string' ? value.slice(0, 20) : value.toString('hex');
    test(`${JSON.stringify(label)}${utf8 ? ' (UTF8=ACCEPT)' : ''}`, () => {
      assert.equal(encodeString(value, { utf8: utf8 === true }).toString('latin1'), want);
    });
  }

  test('every byte string survives format → parse unchanged', () => {
    const samples: Buffer[] = [Buffer.alloc(0)];
    for (let b = 1; b < 256; b++) samples.push(Buffer.from([0x61, b, 0x22, 0x5c, b]));
    for (const s of samples) {
      const line = Buffer.concat([Buffer.from('a X '), encodeString(s), Buffer.from('\r\n')]);
      const [tok] = parseArgs(line.toString('latin1'));
      assert.ok(tok?.type === 'string', showTokens([tok!]));
      assert.deepEqual(tok.value, s);
    }
  });
});

describe('response formatting', () => {
  test('values: NIL, numbers, atoms, nested lists, literal, raw', () => {
    const v: ImapValue[] = [
      7,
      atom('FETCH'),
      [atom('FLAGS'), [atom('\\Seen'), atom('$Work')], atom('UID'), 42, atom('X'), null, 'str'],
      literal('ab\r\n'),
      literal(Buffer.from([0, 1]), true),
      raw('BODY[]<0>'),
    ];
    assert.equal(
      formatUntagged(v).toString('latin1'),
      '* 7 FETCH (FLAGS (\\Seen $Work) UID 42 X NIL "str") {4}\r\nab\r\n ~{2}\r\n\x00\x01 BODY[]<0>\r\n',
    );
    assert.equal(formatValues([[], [[]]]).toString(), '() (())');
  });

  test('status lines', () => {
    assert.equal(formatStatus('a1', 'OK', 'FETCH completed.').toString(), 'a1 OK FETCH completed.\r\n');
    assert.equal(
      formatStatus('a2', 'NO', 'Must create mailbox before append', 'TRYCREATE').toString(),
      'a2 NO [TRYCREATE] Must create mailbox before append\r\n',
    );
    assert.equal(
      formatStatus(null, 'NO', 'Error in IMAP command received by server.').toString(),
      '* NO Error in IMAP command received by server.\r\n',
    );
    assert.equal(formatContinuation('OK').toString(), '+ OK\r\n');
    assert.equal(formatContinuation('').toString(), '+ \r\n');
  });
});
