import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type FetchItem, fetchItemLabel, fetchSetsSeen, parseFetchAttributes } from '@courier-ts/imapd';
import { parseArgs } from './parser-harness.js';

function parse(text: string): FetchItem[] {
  const args = parseArgs(`a FETCH 1 ${text}\r\n`);
  assert.equal(args.length, 2, 'one attribute argument');
  return parseFetchAttributes(args[1]!);
}

/** [request, labels of the parsed items, sets \Seen] */
const cases: ReadonlyArray<readonly [string, string, boolean]> = [
  ['FLAGS', 'FLAGS', false],
  ['(UID flags RFC822.SIZE InternalDate)', 'UID FLAGS RFC822.SIZE INTERNALDATE', false],
  ['ALL', 'FLAGS INTERNALDATE RFC822.SIZE ENVELOPE', false],
  ['fast', 'FLAGS INTERNALDATE RFC822.SIZE', false],
  ['FULL', 'FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODY', false],
  ['(ENVELOPE BODYSTRUCTURE BODY)', 'ENVELOPE BODYSTRUCTURE BODY', false],
  ['RFC822', 'RFC822', true],
  ['RFC822.HEADER', 'RFC822.HEADER', false],
  ['RFC822.TEXT', 'RFC822.TEXT', true],
  ['BODY[]', 'BODY[]', true],
  ['BODY.PEEK[]', 'BODY[]', false],
  ['body.peek[]<0.100>', 'BODY[]<0>', false],
  ['BODY[]<5>', 'BODY[]<5>', true],
  ['BODY[1]', 'BODY[1]', true],
  ['BODY.PEEK[1.2.3.MIME]', 'BODY[1.2.3.MIME]', false],
  ['BODY.PEEK[header]', 'BODY[HEADER]', false],
  ['BODY.PEEK[TEXT]<10.20>', 'BODY[TEXT]<10>', false],
  ['BODY.PEEK[2.TEXT]', 'BODY[2.TEXT]', false],
  ['BODY.PEEK[2.HEADER]', 'BODY[2.HEADER]', false],
  ['(BODY.PEEK[HEADER.FIELDS (from to Subject)])', 'BODY[HEADER.FIELDS ("from" "to" "Subject")]', false],
  ['BODY.PEEK[HEADER.FIELDS ( From  )]', 'BODY[HEADER.FIELDS ("From")]', false],
  ['BODY.PEEK[HEADER.FIELDS(From)]', 'BODY[HEADER.FIELDS ("From")]', false], // Courier accepts it
  ['BODY.PEEK[HEADER.FIELDS ()]', 'BODY[HEADER.FIELDS]', false], // Courier: empty list, no list echoed
  ['BODY.PEEK[HEADER.FIELDS (From {4}\r\nDate)]', 'BODY[HEADER.FIELDS ("From" "Date")]', false],
  ['BODY.PEEK[]<0.0>', 'BODY[]<0>', false],
  ['BODY.PEEK[HEADER.FIELDS ("X-A b")]', 'BODY[HEADER.FIELDS ("X-A b")]', false],
  ['BODY[1.HEADER.FIELDS.NOT (Received)]', 'BODY[1.HEADER.FIELDS.NOT ("Received")]', true],
  ['(FLAGS BODY.PEEK[1]<0.3> BODY[2])', 'FLAGS BODY[1]<0> BODY[2]', true],
];

describe('fetch attributes', () => {
  for (const [text, labels, seen] of cases) {
    test(text, () => {
      const items = parse(text);
      assert.equal(items.map(fetchItemLabel).join(' '), labels);
      assert.equal(fetchSetsSeen(items), seen);
    });
  }

  test('section and partial values', () => {
    const [item] = parse('BODY.PEEK[1.2.HEADER.FIELDS (A B)]<7.9>');
    assert.deepEqual(item, {
      kind: 'BODY[]',
      peek: true,
      section: { part: [1, 2], specifier: 'HEADER.FIELDS', fields: ['A', 'B'] },
      partial: { start: 7, length: 9 },
    });
    const [p2] = parse('BODY[]<5>');
    assert.deepEqual(p2, {
      kind: 'BODY[]',
      peek: false,
      section: { part: [], specifier: null, fields: [] },
      partial: { start: 5, length: null },
    });
  });

  for (const bad of [
    'BINARY[1]',
    'BODY[0]',
    'BODY[MIME]',
    'BODY[1.0]',
    'BODY[FOO]',
    'BODY[HEADER.FIELDS]',
    'BODY[HEADER (x)]',
    'BODY[1]<a>',
    'BODY[1',
    'XYZ',
    '()',
    '"FLAGS"',
    '(FLAGS (UID))',
  ]) {
    test(`invalid ${bad}`, () => assert.throws(() => parse(bad), { name: 'ImapSyntaxError' }));
  }
});
