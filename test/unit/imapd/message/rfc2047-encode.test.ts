import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { courierQuotedText, courierString, rfc2047EncodeCourier } from '@courier-ts/imapd';

/** Binary string (one char per byte) of a JS string's UTF-8 encoding. */
const utf8 = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');

/** Expected values are Courier 5.0.13's own (taken from the MIME corpus goldens). */
const encodeCases: ReadonlyArray<readonly [string, string]> = [
  ['plain ascii', 'plain ascii'],
  [utf8('J\u00fcrgen'), '=?utf-8?Q?J=C3=BCrgen?='],
  [utf8('Andr\u00e9 D\u00fcrr'), '=?utf-8?B?QW5kcsOpIETDvHJy?='],
  [utf8('caf\u00e9 "quoted" back\\slash end'), '=?utf-8?B?Y2Fmw6kgInF1b3RlZCI=?= back\\slash end'],
  [utf8('d\u00e9j\u00e0 vu'), '=?utf-8?B?ZMOpasOg?= vu'],
  ['caf\xe9 au lait \xe0 la cr\xe8me', 'caf au lait  la crme'],
  [
    utf8(`${'e\u0301'.repeat(30)}`),
    '=?utf-8?B?ZcyBZcyBZcyBZcyBZcyBZcyBZcyBZcyBZcyBZcyBZcyBZcyB?= =?utf-8?B?ZcyBZcyBZcyBZcyBZcyBZcyBZcyBZcyBZcyBZcyBZcyBZcyBZcyBZcyBZcyBZcyBZcyBZcyB?=',
  ],
];

describe('rfc2047EncodeCourier', () => {
  for (const [input, want] of encodeCases) {
    test(JSON.stringify(input.slice(0, 30)), () => assert.equal(rfc2047EncodeCourier(input), want));
  }
});

describe('courierQuotedText / courierString', () => {
  const cases: ReadonlyArray<readonly [string | null, boolean, string]> = [
    ['simple', false, '"simple"'],
    ['a "q" \\ b', false, '"a \\"q\\" \\\\ b"'],
    ['one\rtwo\nthree\0', false, '"one two three "'],
    [utf8('caf\u00e9'), true, `"${utf8('caf\u00e9')}"`],
    [utf8('caf\u00e9'), false, '"=?utf-8?B?Y2Fmw6k=?="'], // B: 20 chars beats Q's 21
    [null, false, 'NIL'],
  ];
  for (const [input, utf8Mode, want] of cases) {
    test(`${JSON.stringify(input)}${utf8Mode ? ' (UTF8=ACCEPT)' : ''}`, () => {
      assert.equal(courierString(input, utf8Mode), want);
      if (input !== null) assert.equal(`"${courierQuotedText(input, utf8Mode)}"`, want);
    });
  }
});
