import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { crlfRange, lfToCrlf, stripCr } from '@courier-ts/maildir/internals';

async function collect(it: AsyncIterable<Buffer>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of it) parts.push(c);
  return Buffer.concat(parts).toString('latin1');
}
async function* chunks(s: string, size: number): AsyncGenerator<Buffer> {
  const b = Buffer.from(s, 'latin1');
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

describe('LF -> CRLF (Courier: every LF, other CRs passed through)', () => {
  const CASES: Array<[string, string]> = [
    ['a\nb\n', 'a\r\nb\r\n'],
    ['crlf\r\n', 'crlf\r\r\n'],
    ['lone\rcr\n', 'lone\rcr\r\n'],
    ['no newline', 'no newline'],
    ['\n\n', '\r\n\r\n'],
    ['', ''],
  ];
  for (const [input, want] of CASES) {
    test(JSON.stringify(input), async () => {
      assert.equal(lfToCrlf(Buffer.from(input, 'latin1')).toString('latin1'), want);
      for (const size of [1, 2, 3, 1000]) assert.equal(await collect(crlfRange(chunks(input, size))), want);
    });
  }
  test('byte ranges of the CRLF form, whole and byte by byte', async () => {
    const input = 'Subject: x\n\nline1\nline2\n';
    const full = lfToCrlf(Buffer.from(input)).toString('latin1');
    for (const [s, e] of [
      [0, 5],
      [10, 14],
      [11, 13],
      [5, 1000],
      [full.length, full.length + 5],
      [3, 3],
      [0, Number.POSITIVE_INFINITY],
    ] as const) {
      for (const size of [1, 4, 100]) {
        assert.equal(
          await collect(crlfRange(chunks(input, size), s, e)),
          full.slice(s, e),
          `${s}-${e}/${size}`,
        );
      }
    }
  });
});

describe('APPEND storage form', () => {
  const CASES: Array<[string, string]> = [
    ['a\r\nb\r\n', 'a\nb\n'],
    ['a\r\nb', 'a\nb\n'],
    ['', '\n'],
    ['\r\r\n', '\n'],
    ['x\ry\n', 'xy\n'],
  ];
  for (const [input, want] of CASES) {
    test(JSON.stringify(input), async () => {
      for (const size of [1, 2, 1000]) assert.equal(await collect(stripCr(chunks(input, size))), want);
    });
  }
});
