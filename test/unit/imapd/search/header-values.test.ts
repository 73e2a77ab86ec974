// What the header cache keeps per message: packed header values (answers for header-type SEARCH keys
// without reading the file) and packed SORT/THREAD facts; table-driven against the uncached answers.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseSearchKeys } from '@courier-ts/imapd';
import { parseArgs } from '../protocol/parser-harness.js';
import { searchModule } from './imapd-internals.js';

type HV = typeof import('../../../../packages/imapd/src/search/header-values.js');
type HF = typeof import('../../../../packages/imapd/src/search/header-fields.js');
type CO = typeof import('../../../../packages/imapd/src/search/compile.js');
type KF = typeof import('../../../../packages/imapd/src/search/kept-facts.js');
type MM = typeof import('../../../../packages/imapd/src/search/message-meta.js');
const { ValuesCollector, answerFromValues, topFields } = await searchModule<HV>('header-values');
const { parseHeaderBlock } = await searchModule<HF>('header-fields');
const { compileSearch } = await searchModule<CO>('compile');
const { keepFacts, unpackFacts } = await searchModule<KF>('kept-facts');
const { headerFacts } = await searchModule<MM>('message-meta');

const TOP = parseHeaderBlock(
  [
    'From: =?UTF-8?Q?J=C3=B6rg?= <jorg@example.com>',
    'To: Alice <alice@example.org>,',
    '  Bob <bob@example.org>',
    'Subject: Re: [list] Quarterly   report',
    'Date: Tue, 05 Mar 2024 10:00:00 +0100',
    'Message-ID: <m1@example.com>',
    'References: <a@x> <b@x>',
    'X-Other: not kept',
    'Content-Type: multipart/mixed; boundary=b',
    '',
  ].join('\n'),
);
const INNER = parseHeaderBlock(
  'From: Eve <eve@example.net>\nSubject: inner\nDate: 31 Dec 2023 23:00 +0000\n',
);

function keys(criteria: string) {
  const c = compileSearch(parseSearchKeys(parseArgs(`a SEARCH ${criteria}\r\n`)));
  assert.ok(c.ok);
  return c.search.content;
}

function pack(blocks: readonly (typeof TOP)[], topOnly: boolean) {
  const c = new ValuesCollector();
  for (const b of blocks) c.add(b);
  const p = c.pack(topOnly);
  assert.ok(p);
  return p;
}

describe('header values: answers without the file', () => {
  const all = { ...pack([TOP, INNER], false), complete: true, single: false };
  const topOnly = { ...pack([TOP, INNER], true), complete: false, single: false };
  const single = { ...pack([TOP], true), complete: true, single: true };
  // [criteria, complete (all blocks), top level only, single block]: true / false / undefined (read the file)
  const cases: [string, boolean | undefined, boolean | undefined][] = [
    ['FROM j\xc3\xb6rg', true, true], // UTF-8 bytes: parseArgs sends latin1
    ['FROM JORG@EXAMPLE', true, true],
    ['FROM eve', true, undefined],
    ['FROM nobody', false, undefined],
    ['TO bob', true, true],
    ['SUBJECT "quarterly report"', true, true],
    ['SUBJECT inner', true, undefined],
    ['HEADER Message-ID <m1@example.com>', true, true],
    ['HEADER References "<b@x>"', true, true],
    ['HEADER X-Other kept', undefined, undefined],
    ['HEADER Cc ""', false, undefined],
    ['SENTON 5-Mar-2024', true, true],
    ['SENTON 31-Dec-2023', true, undefined],
    ['SENTBEFORE 1-Jan-2000', false, undefined],
  ];
  for (const [criteria, complete, top] of cases) {
    test(criteria, () => {
      const ks = keys(criteria);
      const run = (v: typeof all) => {
        const r: (boolean | undefined)[] = new Array(ks.length).fill(undefined);
        answerFromValues(v, ks, r);
        return r[0];
      };
      assert.equal(run(all), complete, 'all blocks');
      assert.equal(run(topOnly), top, 'top level only');
      // a single-block message: the top level is everything
      const singleWant = top === undefined && complete !== undefined ? false : top;
      assert.equal(run(single), singleWant, 'single block');
    });
  }
  test('the top-level fields come back for SORT/THREAD facts', () => {
    for (const v of [all, topOnly, single]) {
      assert.deepEqual(headerFacts(topFields(v)), headerFacts(TOP));
    }
  });
  test('not kept: NUL in a value, an id field that decoding changes, very long values', () => {
    const nul = new ValuesCollector();
    nul.add(parseHeaderBlock('Subject: a\0b\n'));
    assert.equal(nul.pack(false), undefined);
    const id = new ValuesCollector();
    id.add(parseHeaderBlock('Message-ID: =?UTF-8?Q?x?= <a@b>\n'));
    assert.equal(id.pack(false), undefined);
    const long = new ValuesCollector();
    long.add(parseHeaderBlock(`To: ${'x'.repeat(10_000)}\n`));
    assert.equal(long.pack(false), undefined);
    const other = new ValuesCollector();
    other.add(parseHeaderBlock('X-Only: other fields\n'));
    assert.deepEqual(other.pack(false), { items: '', topLength: 0 });
  });
});

describe('kept SORT/THREAD facts', () => {
  const blocks = [
    TOP,
    parseHeaderBlock('Subject: plain\n'),
    parseHeaderBlock('In-Reply-To: <p@x> <q@x>\nFrom: "A B" <ab@c>\n'),
    parseHeaderBlock('Subject: nul\0inside\nMessage-ID: <n@x>\n'),
  ];
  for (const [i, b] of blocks.entries()) {
    test(`round trip ${i}`, () => {
      const f = headerFacts(b);
      assert.deepEqual(unpackFacts(keepFacts(f)), f);
    });
  }
  test('packed into one string unless a NUL is inside', () => {
    assert.ok('text' in keepFacts(headerFacts(TOP)));
    assert.ok(!('text' in keepFacts(headerFacts(blocks[3]!))));
  });
});
