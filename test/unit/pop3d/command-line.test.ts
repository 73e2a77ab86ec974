import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseCommandLine, parseLineCount, parseMessageNumber } from '@courier-ts/pop3d';

describe('parseCommandLine (strtok as Courier)', () => {
  const CASES: ReadonlyArray<[string, string, string[], string | undefined]> = [
    ['STAT', 'STAT', [], undefined],
    ['stat', 'STAT', [], undefined],
    ['  noop', 'NOOP', [], undefined],
    ['LIST 2', 'LIST', ['2'], '2'],
    ['TOP 2\t10', 'TOP', ['2', '10'], '2\t10'],
    ['USER a b', 'USER', ['a', 'b'], 'a b'],
    ['PASS  spaced pass ', 'PASS', ['spaced', 'pass'], ' spaced pass '],
    ['PASS ', 'PASS', [], undefined],
    ['PASS', 'PASS', [], undefined],
    ['', '', [], undefined],
    ['PASS a\rb', 'PASS', ['a', 'b'], 'a'],
    ['AUTH PLAIN =', 'AUTH', ['PLAIN', '='], 'PLAIN ='],
    ['\r\tlist\t\t3  \r', 'LIST', ['3'], '\t3  '],
    ['uSeR\r', 'USER', [], undefined],
    ['USER \u00e9t\u00e9 x', 'USER', ['\ufffdt\ufffd', 'x'], '\ufffdt\ufffd x'],
  ];
  for (const [input, verb, args, rest] of CASES) {
    test(JSON.stringify(input), () => {
      const c = parseCommandLine(Buffer.from(input, 'latin1'));
      assert.equal(c.verb, verb);
      assert.deepEqual(c.args, args);
      assert.equal(c.rest, rest);
    });
  }
});

describe('message numbers (atoi)', () => {
  const CASES: ReadonlyArray<[string | undefined, number]> = [
    ['1', 1],
    ['007', 7],
    ['2abc', 2],
    ['abc', 0],
    ['-1', 0],
    ['0', 0],
    [undefined, 0],
    ['99999999999999999999', 0],
    ['', 0],
    [' \t+12x', 12],
    ['+', 0],
    ['++1', 0],
    ['1 2', 1],
  ];
  for (const [a, n] of CASES) test(String(a), () => assert.equal(parseMessageNumber(a), n));
  test('TOP line counts', () => {
    assert.equal(parseLineCount('10'), 10);
    assert.equal(parseLineCount('x'), 0);
    assert.equal(parseLineCount('-3'), 0);
  });
});
