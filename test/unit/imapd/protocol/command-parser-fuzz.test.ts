import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { rng } from '../../../support/rng.js';
import { runParser } from './parser-harness.js';

const PIECES = [
  'a1 ',
  'UID ',
  'FETCH ',
  '1:*',
  ' ',
  '(',
  ')',
  '"',
  '\\',
  '{3}\r\n',
  '{2+}\r\n',
  '~{1}\r\n',
  'abc',
  'BODY[HEADER.FIELDS (A "B")]',
  '<0.5>',
  '\r\n',
  '\n',
  '\r',
  '\x00',
  '\xe9',
  'NIL',
  '[',
  ']',
  '{',
  '}',
  '+',
  '~',
  '{0}\r\n',
  '{5000+}\r\n',
  'BODY.PEEK[',
  'xxxxxxxxxxxxxxxxxxxx',
];

function randomInput(next: () => number): string {
  let s = '';
  const n = 1 + Math.floor(next() * 40);
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(next() * PIECES.length)];
  return s;
}

describe('CommandParser fuzz (random token soup, fixed seeds)', () => {
  test('never throws, and any chunking gives the same events', () => {
    const next = rng(20260128);
    for (let round = 0; round < 600; round++) {
      const input = randomInput(next);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
      const limits = {
        maxLineLength: 8 + Math.floor(next() * 80),
        maxAtomLength: 4 + Math.floor(next() * 30),
        maxQuotedLength: 2 + Math.floor(next() * 20),
        maxDepth: 1 + Math.floor(next() * 4),
        maxArguments: 3 + Math.floor(next() * 20),
        maxLiteralSize: 2 + Math.floor(next() * 10),
        maxBufferedLiteral: 1 + Math.floor(next() * 5),
        nonSyncLiterals: pick(['plus', 'minus', 'none'] as const),
      };
      const opts = { parser: limits, policy: pick(['accept', 'stream', 'reject'] as const) };
      const whole = runParser(input, Number.POSITIVE_INFINITY, opts);
      for (const size of [1, 2, 5]) {
        assert.deepEqual(
          runParser(input, size, opts),
          whole,
          `round ${round} size ${size}: ${JSON.stringify(input)}`,
        );
      }
    }
  });
});
