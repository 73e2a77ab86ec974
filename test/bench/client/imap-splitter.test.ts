// The bench's IMAP response splitter, whole and byte by byte: response ends, literals skipped by count.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ResponseSplitter } from './imap-splitter.js';

interface Got {
  readonly head: string;
  readonly bytes: number;
  readonly literalBytes: number;
}

const big = 'x'.repeat(10_000);
const CASES: ReadonlyArray<{ name: string; wire: string; want: Got[] }> = [
  {
    name: 'greeting and tagged reply',
    wire: '* OK ready\r\na1 OK done\r\n',
    want: [
      { head: '* OK ready\r\n', bytes: 12, literalBytes: 0 },
      { head: 'a1 OK done\r\n', bytes: 12, literalBytes: 0 },
    ],
  },
  {
    name: 'literal with CRLF and a brace inside is one response',
    wire: '* 1 FETCH (BODY[] {12}\r\nab\r\n{3}\r\n\r\nx)\r\na OK\r\n',
    want: [
      { head: '* 1 FETCH (BODY[] {12}\r\n', bytes: 39, literalBytes: 12 },
      { head: 'a OK\r\n', bytes: 6, literalBytes: 0 },
    ],
  },
  {
    name: 'two literals and a zero-length one in one response',
    wire: '* 2 FETCH (A {2}\r\nab B {0}\r\n C {1+}\r\nc)\r\n',
    want: [{ head: '* 2 FETCH (A {2}\r\n', bytes: 41, literalBytes: 3 }],
  },
  {
    name: 'bare LF line ends',
    wire: '* 3 EXISTS\nb OK\n',
    want: [
      { head: '* 3 EXISTS\n', bytes: 11, literalBytes: 0 },
      { head: 'b OK\n', bytes: 5, literalBytes: 0 },
    ],
  },
  {
    name: 'a line longer than the kept head still finds its literal',
    wire: `* 4 FETCH (X "${big}" Y {4}\r\nabcd)\r\n`,
    want: [{ head: `* 4 FETCH (X "${big}`.slice(0, 4096), bytes: 10_030, literalBytes: 4 }],
  },
];

function feed(wire: string, chunk: number): Got[] {
  const got: Got[] = [];
  const s = new ResponseSplitter((head, bytes, literalBytes) => got.push({ head, bytes, literalBytes }));
  const buf = Buffer.from(wire, 'latin1');
  for (let i = 0; i < buf.length; i += chunk) s.push(buf.subarray(i, i + chunk));
  return got;
}

describe('ResponseSplitter', () => {
  for (const c of CASES) {
    test(`${c.name} (whole)`, () => {
      assert.deepEqual(feed(c.wire, c.wire.length), c.want);
    });
    test(`${c.name} (byte by byte)`, () => {
      assert.deepEqual(feed(c.wire, 1), c.want);
    });
    test(`${c.name} (7-byte chunks)`, () => {
      assert.deepEqual(feed(c.wire, 7), c.want);
    });
  }
});
