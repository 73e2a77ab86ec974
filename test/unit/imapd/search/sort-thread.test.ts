// SORT criteria and order, THREAD ORDEREDSUBJECT and REFERENCES on synthetic messages (RFC 5256).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MessageInfo } from '@courier-ts/maildir';
import { searchModule } from './imapd-internals.js';

type MM = typeof import('../../../../packages/imapd/src/search/message-meta.js');
type SO = typeof import('../../../../packages/imapd/src/search/sort.js');
type OS = typeof import('../../../../packages/imapd/src/search/thread-ordered-subject.js');
type TR = typeof import('../../../../packages/imapd/src/search/thread-references.js');
type TT = typeof import('../../../../packages/imapd/src/search/thread-tree.js');
type HF = typeof import('../../../../packages/imapd/src/search/header-fields.js');
const { metaFromHeaders } = await searchModule<MM>('message-meta');
const { parseSortCriteria, sortMessages } = await searchModule<SO>('sort');
const { orderedSubject } = await searchModule<OS>('thread-ordered-subject');
const { references } = await searchModule<TR>('thread-references');
const { formatThreads } = await searchModule<TT>('thread-tree');
const { parseHeaderBlock } = await searchModule<HF>('header-fields');

/** Message `seq` (UID = 100 + seq) with these headers; INTERNALDATE = day `seq` of 2024-03, size 10*seq. */
function meta(seq: number, headers: string) {
  const m: MessageInfo = {
    uid: 100 + seq,
    filename: `${seq}`,
    key: `${seq}`,
    flags: new Set(),
    keywords: new Set(),
    size: 10 * seq,
    crlfSize: 10 * seq + 1,
    mtime: new Date(Date.UTC(2024, 2, seq)),
    recent: false,
  };
  return metaFromHeaders(m, seq, parseHeaderBlock(headers.replace(/\|/g, '\n')));
}

describe('parseSortCriteria', () => {
  const cases: [string[], string | undefined][] = [
    [['DATE'], 'DATE'],
    [['reverse', 'date', 'Subject'], '-DATE SUBJECT'],
    [['ARRIVAL', 'CC', 'FROM', 'SIZE', 'TO'], 'ARRIVAL CC FROM SIZE TO'],
    [['REVERSE'], undefined],
    [['REVERSE', 'REVERSE', 'DATE'], undefined],
    [['DISPLAYFROM'], undefined],
    [[], undefined],
  ];
  for (const [words, want] of cases) {
    test(words.join(' ') || '(empty)', () => {
      const c = parseSortCriteria(words);
      assert.equal(c?.map((x) => `${x.reverse ? '-' : ''}${x.key}`).join(' '), want);
    });
  }
});

describe('sortMessages', () => {
  const items = [
    meta(1, 'From: Zed <z@x>|To: b@x|Subject: Re: beta|Date: Mon, 4 Mar 2024 10:00:00 +0000'),
    meta(2, 'From: alice@x|To: A@x|Cc: c@x|Subject: alpha|Date: Mon, 4 Mar 2024 11:00:00 +0100'),
    meta(3, 'From: Bob <bob@x>|Subject: [x] Beta (fwd)'),
    meta(4, 'From: "Al" <ALICE@y>|To: a@x|Subject: ALPHA|Date: Sun, 3 Mar 2024 10:00:00 +0000'),
  ];
  const cases: [string, number[]][] = [
    ['ARRIVAL', [1, 2, 3, 4]],
    ['REVERSE ARRIVAL', [4, 3, 2, 1]],
    ['DATE', [1, 2, 3, 4]], // 2 = 10:00 UTC ties 1; 3 has no Date: INTERNALDATE 3-Mar 00:00; 4 = 3-Mar 10:00
    ['SIZE', [1, 2, 3, 4]],
    ['SUBJECT', [2, 4, 1, 3]],
    ['REVERSE SUBJECT', [1, 3, 2, 4]],
    ['FROM', [2, 4, 3, 1]],
    ['REVERSE FROM', [1, 3, 2, 4]],
    ['TO', [3, 2, 4, 1]],
    ['CC', [1, 3, 4, 2]],
    ['SUBJECT REVERSE ARRIVAL', [4, 2, 3, 1]],
  ];
  // Expected DATE order, computed by hand: 3 (3-Mar 00:00 internal), 4 (3-Mar 10:00), 1 = 2 (4-Mar 10:00 UTC).
  cases[2] = ['DATE', [3, 4, 1, 2]];
  for (const [criteria, want] of cases) {
    test(criteria, () => {
      const c = parseSortCriteria(criteria.split(' '));
      assert.ok(c);
      assert.deepEqual(
        sortMessages(items, c).map((m) => m.seq),
        want,
      );
    });
  }
});

describe('THREAD ORDEREDSUBJECT', () => {
  test('groups by base subject, children as siblings, threads by first date', () => {
    const items = [
      meta(1, 'Subject: Re: topic|Date: 2 Mar 2024 10:00:00 +0000'),
      meta(2, 'Subject: other|Date: 1 Mar 2024 10:00:00 +0000'),
      meta(3, 'Subject: topic|Date: 1 Mar 2024 12:00:00 +0000'),
      meta(4, 'Subject: Fwd: topic|Date: 3 Mar 2024 10:00:00 +0000'),
      meta(5, 'Subject: other (fwd)|Date: 4 Mar 2024 10:00:00 +0000'),
      meta(6, 'Subject: single|Date: 5 Mar 2024 10:00:00 +0000'),
    ];
    assert.equal(
      formatThreads(orderedSubject(items), (m) => m.seq),
      '(2 5)(3 (1)(4))(6)',
    );
    assert.equal(
      formatThreads(orderedSubject(items), (m) => m.msg.uid),
      '(102 105)(103 (101)(104))(106)',
    );
  });
});

describe('THREAD REFERENCES', () => {
  const cases: [string, string[], string][] = [
    [
      'parents from References, In-Reply-To fallback, sibling order by date',
      [
        'Message-ID: <a>|Subject: s|Date: 1 Mar 2024 10:00:00 +0000',
        'Message-ID: <b>|References: <a>|Subject: Re: s|Date: 3 Mar 2024 10:00:00 +0000',
        'Message-ID: <c>|In-Reply-To: <a>|Subject: Re: s|Date: 2 Mar 2024 10:00:00 +0000',
        'Message-ID: <d>|References: <a> <c>|Subject: Re: s|Date: 4 Mar 2024 10:00:00 +0000',
      ],
      '(1 (3 4)(2))',
    ],
    [
      'a missing parent (dummy) with one child is dropped; two root dummies with children stay',
      [
        'Message-ID: <x1>|References: <gone>|Subject: p|Date: 1 Mar 2024 10:00:00 +0000',
        'Message-ID: <x2>|References: <gone2>|Subject: q|Date: 2 Mar 2024 10:00:00 +0000',
        'Message-ID: <x3>|References: <gone2>|Subject: r|Date: 3 Mar 2024 10:00:00 +0000',
      ],
      '(1)((2)(3))',
    ],
    [
      'same base subject: a reply joins the original, two originals get a dummy parent',
      [
        'Message-ID: <m1>|Subject: plan|Date: 1 Mar 2024 10:00:00 +0000',
        'Message-ID: <m2>|Subject: Re: plan|Date: 2 Mar 2024 10:00:00 +0000',
        'Message-ID: <m3>|Subject: PLAN|Date: 3 Mar 2024 10:00:00 +0000',
        'Message-ID: <m4>|Subject: unrelated|Date: 4 Mar 2024 10:00:00 +0000',
      ],
      '((1 2)(3))(4)',
    ],
    [
      'duplicate and missing Message-IDs become separate messages; a reference loop is not closed',
      [
        'Message-ID: <dup>|Subject: a|Date: 1 Mar 2024 10:00:00 +0000',
        'Message-ID: <dup>|Subject: b|Date: 2 Mar 2024 10:00:00 +0000',
        'Subject: c|Date: 3 Mar 2024 10:00:00 +0000',
        'Message-ID: <l1>|References: <l2>|Subject: d|Date: 4 Mar 2024 10:00:00 +0000',
        'Message-ID: <l2>|References: <l1>|Subject: e|Date: 5 Mar 2024 10:00:00 +0000',
      ],
      '(1)(2)(3)(5 4)',
    ],
    [
      'empty subjects are not gathered',
      [
        'Message-ID: <e1>|Date: 1 Mar 2024 10:00:00 +0000',
        'Message-ID: <e2>|Subject: Re:|Date: 2 Mar 2024 10:00:00 +0000',
      ],
      '(1)(2)',
    ],
  ];
  for (const [name, headers, want] of cases) {
    test(name, () => {
      const items = headers.map((h, i) => meta(i + 1, h));
      assert.equal(
        formatThreads(references(items), (m) => m.seq),
        want,
      );
    });
  }
});
