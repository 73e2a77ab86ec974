import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseSearchKeys, type SearchKey } from '@courier-ts/imapd';
import { parseArgs } from './parser-harness.js';

/** Compact text form of a search tree. */
function show(k: SearchKey): string {
  switch (k.type) {
    case 'all':
    case 'new':
    case 'old':
    case 'recent':
      return k.type;
    case 'flag':
      return `${k.set ? '' : '!'}${k.flag}`;
    case 'keyword':
      return `${k.set ? '' : '!'}kw:${k.keyword}`;
    case 'header':
      return `hdr:${k.field}=${k.value.toString('latin1')}`;
    case 'body':
    case 'text':
      return `${k.type}=${k.value.toString('latin1')}`;
    case 'date':
      return `${k.field}-${k.op}:${k.date === null ? 'bad' : `${k.date.year}-${k.date.month}-${k.date.day}`}`;
    case 'size':
      return `${k.op}:${k.size}`;
    case 'not':
      return `not(${show(k.key)})`;
    case 'or':
      return `or(${show(k.left)},${show(k.right)})`;
    case 'and':
      return `and(${k.keys.map(show).join(',')})`;
    case 'seq':
    case 'uid':
      return `${k.type}:${k.set.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}:${r.to}`)).join(',')}`;
  }
}

const cases: ReadonlyArray<readonly [string, string]> = [
  ['ALL', 'all'],
  ['seen unseen ANSWERED UNANSWERED', 'and(\\Seen,!\\Seen,\\Answered,!\\Answered)'],
  [
    'DELETED UNDELETED FLAGGED UNFLAGGED DRAFT UNDRAFT',
    'and(\\Deleted,!\\Deleted,\\Flagged,!\\Flagged,\\Draft,!\\Draft)',
  ],
  ['NEW OLD RECENT', 'and(new,old,recent)'],
  ['KEYWORD $Work UNKEYWORD x', 'and(kw:$Work,!kw:x)'],
  [
    'FROM bob TO "a b" CC c BCC d SUBJECT {3}\r\nhi!',
    'and(hdr:From=bob,hdr:To=a b,hdr:Cc=c,hdr:Bcc=d,hdr:Subject=hi!)',
  ],
  ['HEADER X-Spam ""', 'hdr:X-Spam='],
  ['BODY x TEXT "y z"', 'and(body=x,text=y z)'],
  [
    'SINCE 1-Jan-2024 BEFORE "2-Feb-2024" ON 3-Mar-2024',
    'and(internal-since:2024-1-1,internal-before:2024-2-2,internal-on:2024-3-3)',
  ],
  [
    'SENTSINCE 1-Jan-2024 SENTBEFORE 2-Jan-2024 SENTON 31-Feb-2024',
    'and(sent-since:2024-1-1,sent-before:2024-1-2,sent-on:bad)',
  ],
  ['LARGER 100 SMALLER 2000', 'and(larger:100,smaller:2000)'],
  ['NOT SEEN', 'not(\\Seen)'],
  ['OR SEEN (FLAGGED DELETED)', 'or(\\Seen,and(\\Flagged,\\Deleted))'],
  ['OR OR 1 2 NOT 3', 'or(or(seq:1,seq:2),not(seq:3))'],
  ['1:* UID 5,7:*', 'and(seq:1:*,uid:5,7:*)'],
  ['(((SEEN)))', '\\Seen'],
  ['CHARSET UTF-8 TEXT "caf\xc3\xa9"', 'text=caf\xc3\xa9'],
];

describe('search keys', () => {
  for (const [text, want] of cases) {
    test(text.replace(/\r\n/g, ' '), () => {
      const prog = parseSearchKeys(parseArgs(`a SEARCH ${text}\r\n`));
      assert.equal(show(prog.key), want);
      assert.equal(prog.charset, text.startsWith('CHARSET') ? 'UTF-8' : null);
    });
  }
  for (const bad of [
    '',
    'FOO',
    'FROM',
    'OR SEEN',
    'NOT',
    'LARGER x',
    'UID x',
    'KEYWORD a]',
    '()',
    'CHARSET',
    '"SEEN"',
  ]) {
    test(`invalid ${JSON.stringify(bad)}`, () => {
      assert.throws(() => parseSearchKeys(parseArgs(`a SEARCH ${bad}\r\n`)), { name: 'ImapSyntaxError' });
    });
  }
  test('nesting is bounded', () => {
    const deep = `${'NOT '.repeat(100)}SEEN`;
    assert.throws(() => parseSearchKeys(parseArgs(`a SEARCH ${deep}\r\n`)), /nested too deeply/);
  });
});
