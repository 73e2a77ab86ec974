import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalInbox, listMatcher } from '@courier-ts/imapd';

const CASES: readonly [string, string, string, boolean][] = [
  ['', '*', 'INBOX', true],
  ['', '*', 'INBOX.A.B', true],
  ['', '%', 'INBOX', true],
  ['', '%', 'INBOX.A', false],
  ['', 'INBOX.%', 'INBOX.A', true],
  ['', 'INBOX.%', 'INBOX.A.B', false],
  ['', 'inbox.*', 'INBOX.A.B', true],
  ['INBOX.', '%', 'INBOX.A', true],
  ['INBOX.', '%', 'INBOX', false],
  ['', 'INBOX.A*', 'INBOX.Ab', true],
  ['', 'INBOX.A*', 'INBOX.B', false],
  ['', 'INBOX.R(x)', 'INBOX.R(x)', true],
  ['', 'Inbox', 'INBOX', true],
];

test('LIST patterns: reference + pattern, * and %', () => {
  for (const [ref, pat, name, want] of CASES) {
    assert.equal(listMatcher(ref, pat).test(canonicalInbox(name)), want, `${ref}|${pat} vs ${name}`);
  }
});
