// The search measure's answer parsing and cross-server comparison (no servers: the bench itself
// never asserts; these check that what it reports is read right).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Results } from '../results.js';
import { type Answers, compareAnswers, parseAnswer } from './search.js';

describe('parseAnswer', () => {
  const cases: [string, 'SEARCH' | 'SORT' | 'THREAD', { count: number; threads?: number } | undefined][] = [
    ['* SEARCH 2 84 882\r\nb3 OK SEARCH done.\r\n', 'SEARCH', { count: 3 }],
    ['* SEARCH\r\nb3 OK\r\n', 'SEARCH', { count: 0 }],
    ['* 3 EXISTS\r\n* SORT 5 3 4\r\nb4 OK\r\n', 'SORT', { count: 3 }],
    ['* THREAD (2)(3 6 (4 23)(44 7 96))\r\nb5 OK\r\n', 'THREAD', { count: 8, threads: 2 }],
    ['* THREAD ((3)(5))\r\nb5 OK\r\n', 'THREAD', { count: 2, threads: 1 }],
    ['b6 OK nothing\r\n', 'SEARCH', undefined],
  ];
  for (const [raw, reply, want] of cases) {
    test(JSON.stringify(raw), () => {
      const got = parseAnswer(raw, reply);
      if (want === undefined) return assert.equal(got, undefined);
      assert.ok(got);
      assert.equal(got.count, want.count);
      assert.equal(got.threads, want.threads);
      assert.match(got.digest, /^[0-9a-f]{16}$/);
    });
  }
  test('the digest tells orders apart', () => {
    assert.notEqual(
      parseAnswer('* SORT 1 2\r\n', 'SORT')?.digest,
      parseAnswer('* SORT 2 1\r\n', 'SORT')?.digest,
    );
  });
});

describe('compareAnswers', () => {
  test('same, same counts, different counts', () => {
    const a = (raw: string, r: 'SEARCH' | 'THREAD') => parseAnswer(raw, r)!;
    const answers: Answers = {
      'courier-ts': { text: a('* SEARCH 1 2\r\n', 'SEARCH'), thread: a('* THREAD (1)(2 3)\r\n', 'THREAD') },
      courier: { text: a('* SEARCH 1 2\r\n', 'SEARCH'), thread: a('* THREAD (2 3)(1)\r\n', 'THREAD') },
      dovecot: { text: a('* SEARCH 1\r\n', 'SEARCH') },
    };
    const results = new Results();
    compareAnswers(answers, results, { textWord: 'w', fromName: 'n' });
    const notes = results.areas.search?.notes ?? [];
    assert.deepEqual(notes, [
      'answers: SEARCH TEXT w: courier-ts 2, courier 2, dovecot 1 (COUNTS DIFFER)',
      'answers: THREAD REFERENCES UTF-8 ALL: courier-ts 3/2 threads, courier 3/2 threads (same counts, different order/shape)',
    ]);
  });
});
