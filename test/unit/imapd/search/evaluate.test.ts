// Every SEARCH key on synthetic messages: compile (CHARSET, folding) and three-valued evaluation.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseSearchKeys } from '@courier-ts/imapd';
import type { MaildirFlag, MessageInfo } from '@courier-ts/maildir';
import { parseArgs } from '../protocol/parser-harness.js';
import { searchModule } from './imapd-internals.js';

type CO = typeof import('../../../../packages/imapd/src/search/compile.js');
type EV = typeof import('../../../../packages/imapd/src/search/evaluate.js');
const { compileSearch } = await searchModule<CO>('compile');
const { evaluate, SetResolver } = await searchModule<EV>('evaluate');

function msg(
  uid: number,
  o: { flags?: string; keywords?: string[]; recent?: boolean; mtime?: string; size?: number },
): MessageInfo {
  return {
    uid,
    filename: `${uid}:2,${o.flags ?? ''}`,
    key: String(uid),
    flags: new Set([...(o.flags ?? '')] as MaildirFlag[]),
    keywords: new Set(o.keywords ?? []),
    size: o.size ?? 100,
    crlfSize: (o.size ?? 100) + 5,
    mtime: new Date(o.mtime ?? '2024-01-01T10:00:00Z'),
    recent: o.recent ?? false,
  };
}

// seq 1..5 with UIDs 10, 20, 30, 40, 50
const VIEW: MessageInfo[] = [
  msg(10, { flags: 'S', keywords: ['$Work'], mtime: '2023-12-31T23:59:59Z', size: 50 }),
  msg(20, { flags: 'RS', recent: true, mtime: '2024-01-01T00:00:00Z', size: 100 }),
  msg(30, { flags: 'F', keywords: ['Urgent'], recent: true, mtime: '2024-01-01T23:59:59Z', size: 200 }),
  msg(40, { flags: 'DT', mtime: '2024-01-02T00:00:00Z', size: 300 }),
  msg(50, { mtime: '2024-02-29T12:00:00Z', size: 1000 }),
];

function run(criteria: string): number[] | 'BADCHARSET' {
  const compiled = compileSearch(parseSearchKeys(parseArgs(`a SEARCH ${criteria}\r\n`)));
  if (!compiled.ok) return 'BADCHARSET';
  const sets = new SetResolver(VIEW.length, 50);
  const content = compiled.search.content.map(() => undefined);
  const out: number[] = [];
  VIEW.forEach((m, i) => {
    const v = evaluate(compiled.search.root, { msg: m, seq: i + 1, content }, sets);
    if (v === undefined) throw new Error('needs content');
    if (v) out.push(i + 1);
  });
  return out;
}

describe('non-content keys (TZ=UTC for the INTERNALDATE days)', () => {
  process.env.TZ = 'UTC';
  const cases: [string, number[]][] = [
    ['ALL', [1, 2, 3, 4, 5]],
    ['ANSWERED', [2]],
    ['UNANSWERED', [1, 3, 4, 5]],
    ['DELETED', [4]],
    ['UNDELETED', [1, 2, 3, 5]],
    ['DRAFT', [4]],
    ['UNDRAFT', [1, 2, 3, 5]],
    ['FLAGGED', [3]],
    ['UNFLAGGED', [1, 2, 4, 5]],
    ['SEEN', [1, 2]],
    ['UNSEEN', [3, 4, 5]],
    ['NEW', [3]],
    ['OLD', [1, 4, 5]],
    ['RECENT', [2, 3]],
    ['KEYWORD $work', [1]],
    ['KEYWORD urgent', [3]],
    ['UNKEYWORD $Work', [2, 3, 4, 5]],
    ['KEYWORD nothing', []],
    ['BEFORE 1-Jan-2024', [1]],
    ['ON 1-Jan-2024', [2, 3]],
    ['SINCE 2-Jan-2024', [4, 5]],
    ['ON 29-Feb-2024', [5]],
    ['SINCE 1-Jan-2024 BEFORE 2-Jan-2024', [2, 3]],
    ['LARGER 105', [3, 4, 5]],
    ['SMALLER 105', [1]],
    ['LARGER 0 SMALLER 1006', [1, 2, 3, 4, 5]],
    ['1', [1]],
    ['*', [5]],
    ['2:3', [2, 3]],
    ['4:2', [2, 3, 4]],
    ['*:4', [4, 5]],
    ['1,3,5', [1, 3, 5]],
    ['9', []],
    ['UID 20', [2]],
    ['UID 25:45', [3, 4]],
    ['UID *', [5]],
    ['UID 60:*', [5]],
    ['UID 45:15', [2, 3, 4]],
    ['NOT SEEN', [3, 4, 5]],
    ['NOT NOT SEEN', [1, 2]],
    ['OR SEEN FLAGGED', [1, 2, 3]],
    ['OR (SEEN UNANSWERED) DELETED', [1, 4]],
    ['(SEEN (ANSWERED))', [2]],
    ['SEEN ANSWERED', [2]],
    ['NOT (OR SEEN FLAGGED)', [4, 5]],
    ['OR OR ANSWERED DRAFT FLAGGED', [2, 3, 4]],
    ['CHARSET UTF-8 ALL', [1, 2, 3, 4, 5]],
    ['CHARSET X-NOSUCH ALL', []],
  ];
  for (const [criteria, want] of cases) {
    test(criteria, () => {
      const got = run(criteria);
      if (criteria.includes('X-NOSUCH')) assert.equal(got, 'BADCHARSET');
      else assert.deepEqual(got, want);
    });
  }
  test('a bad date matches nothing', () => {
    const compiled = compileSearch({
      charset: null,
      key: { type: 'date', field: 'internal', op: 'on', date: null },
    });
    assert.ok(compiled.ok);
    const v = evaluate(compiled.search.root, { msg: VIEW[0]!, seq: 1, content: [] }, new SetResolver(5, 50));
    assert.equal(v, false);
  });
});

describe('content keys compile to numbered, folded needles and stay unknown until read', () => {
  const cases: [string, string, string[]][] = [
    ['FROM "Alice  X"', 'CHARSET UTF-8', ['header:from:alice x']],
    ['SUBJECT {7}\r\nR\xe9sum\xe9', 'CHARSET ISO-8859-1', ['header:subject:résumé']],
    ['BODY {6}\r\n\xf0\xd2\xc9\xd7\xc5\xd4', 'CHARSET KOI8-R', ['body::привет']],
    ['TEXT x HEADER X-Y ""', '', ['text::x', 'header:x-y:']],
    ['SENTON 1-Jan-2024 CC c BCC b TO t', '', ['sent::', 'header:cc:c', 'header:bcc:b', 'header:to:t']],
  ];
  for (const [keys, charset, want] of cases) {
    test(`${charset} ${keys}`.trim(), () => {
      const line = `a SEARCH ${charset ? `${charset} ` : ''}${keys.replace('{7}', '{6}')}\r\n`;
      const compiled = compileSearch(parseSearchKeys(parseArgs(line)));
      assert.ok(compiled.ok);
      const shown = compiled.search.content.map(
        (c) => `${c.k}:${c.k === 'header' ? c.field : ''}:${'needle' in c ? c.needle : ''}`,
      );
      assert.deepEqual(shown, want);
      const v = evaluate(
        compiled.search.root,
        { msg: VIEW[0]!, seq: 1, content: [] },
        new SetResolver(5, 50),
      );
      assert.equal(v, undefined);
    });
  }
  test('a cheap key settles the message without content', () => {
    const compiled = compileSearch(parseSearchKeys(parseArgs('a SEARCH DELETED BODY x\r\n')));
    assert.ok(compiled.ok);
    const v = evaluate(
      compiled.search.root,
      { msg: VIEW[0]!, seq: 1, content: [undefined] },
      new SetResolver(5, 50),
    );
    assert.equal(v, false);
  });
});
