import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { searchModule } from './imapd-internals.js';

type TM = typeof import('../../../../packages/imapd/src/search/text-matcher.js');
type TD = typeof import('../../../../packages/imapd/src/search/transfer-decoder.js');
type CS = typeof import('../../../../packages/imapd/src/search/charset.js');
const { TextMatcher, foldNeedle, containsFolded } = await searchModule<TM>('text-matcher');
const { transferDecoder } = await searchModule<TD>('transfer-decoder');
const { decodeCharset, isSupportedCharset, bodyDecoder } = await searchModule<CS>('charset');

/** Feeds `text` in pieces of `size` characters. */
function chunked(needle: string, text: string, size: number): boolean {
  const m = new TextMatcher(foldNeedle(needle));
  for (let i = 0; i < text.length; i += size) m.push(text.slice(i, i + size));
  return m.found;
}

describe('TextMatcher (Courier: case-insensitive, white space runs = one space)', () => {
  const cases: [string, string, boolean][] = [
    ['fox', 'The quick brown fox', true],
    ['FOX', 'the quick brown fox', true],
    ['quick brown', 'The quick\nbrown fox', true],
    ['quick   brown', 'The quick brown fox', true],
    ['quick brown', 'quick \t\r\n  brown', true],
    ['quickbrown', 'quick brown', false],
    ['résumé', 'RÉSUMÉ für Alice', true],
    ['привет', 'ПРИВЕТ из Москвы', true],
    ['resume', 'Résumé', false],
    ['', 'anything', true],
    ['abc', 'ab', false],
    ['aab', 'aaab', true],
  ];
  for (const [needle, text, want] of cases) {
    test(`${JSON.stringify(needle)} in ${JSON.stringify(text)} -> ${want}, whole and in pieces`, () => {
      for (const size of [text.length || 1, 1, 2, 3, 7])
        assert.equal(chunked(needle, text, size), want, `size ${size}`);
      assert.equal(containsFolded(text, foldNeedle(needle)), want);
    });
  }
  test('separate() keeps two fields apart except as white space', () => {
    const m = new TextMatcher(foldNeedle('ab'));
    m.push('a');
    m.separate();
    m.push('b');
    assert.equal(m.found, false);
  });
});

describe('transfer decoders: same output fed whole, line by line and byte by byte', () => {
  const run = (enc: string, input: string, size: number): string => {
    const d = transferDecoder(enc);
    const bytes = Buffer.from(input, 'latin1');
    const out: Buffer[] = [];
    // copy each output at once: a decoder may return a view of its input
    for (let i = 0; i < bytes.length; i += size) out.push(Buffer.from(d.write(bytes.subarray(i, i + size))));
    out.push(d.end());
    return Buffer.concat(out).toString('latin1');
  };
  const byLine = (enc: string, input: string): string => {
    const d = transferDecoder(enc);
    const out: Buffer[] = input.split(/(?<=\n)/).map((l) => Buffer.from(d.write(Buffer.from(l, 'latin1'))));
    out.push(d.end());
    return Buffer.concat(out).toString('latin1');
  };
  const cases: [string, string, string][] = [
    ['quoted-printable', 'caf=C3=A9 ok\n', 'caf\xc3\xa9 ok\n'],
    ['quoted-printable', 'Soft=\n break\n', 'Soft break\n'],
    ['quoted-printable', 'Soft=  \r\n break\r\n', 'Soft break\n'],
    ['quoted-printable', 'trailing   \n', 'trailing\n'],
    ['quoted-printable', 'bad =ZZ and =4\n', 'bad =ZZ and =4\n'],
    ['quoted-printable', '=3D=3d\n', '==\n'],
    ['quoted-printable', 'no newline at the end =41', 'no newline at the end A\n'],
    ['base64', 'SGVs\nbG8g\nd29y\nbGQ=\n', 'Hello world'],
    ['base64', 'SGVsbG8gd29y\r\nbGQ', 'Hello world'],
    ['base64', 'SGVs bG8*\n', 'Hello'],
    ['7bit', 'plain\ntext\n', 'plain\ntext\n'],
    ['7bit', 'crlf\r\nlines\r\n', 'crlf\nlines\n'],
    ['8bit', 'a\rb\r\r\n', 'a\rb\r\n'],
    ['binary', 'ends with CR\r', 'ends with CR\r'],
  ];
  for (const [enc, input, want] of cases) {
    test(`${enc} ${JSON.stringify(input)}`, () => {
      assert.equal(run(enc, input, input.length), want, 'whole');
      assert.equal(byLine(enc, input), want, 'line by line');
      for (const size of [1, 2, 3, 5]) assert.equal(run(enc, input, size), want, `pieces of ${size}`);
    });
  }
  test('a quoted-printable line longer than MAX_LINE is decoded in pieces, not held', () => {
    const d = transferDecoder('quoted-printable');
    const long = Buffer.from('=41'.repeat(10_000), 'latin1');
    const out = d.write(long);
    assert.equal(out.length, 10_000);
    assert.equal(out.toString('latin1'), 'A'.repeat(10_000));
  });
});

describe('charsets', () => {
  const cases: [string, Buffer, string | undefined][] = [
    ['UTF-8', Buffer.from('Résumé'), 'Résumé'],
    ['US-ASCII', Buffer.from('alice'), 'alice'],
    ['ISO-8859-1', Buffer.from([0x52, 0xe9]), 'Ré'],
    ['KOI8-R', Buffer.from([0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4]), 'Привет'],
    ['WINDOWS-1252', Buffer.from([0x80]), '€'],
    ['X-NOSUCH', Buffer.from('x'), undefined],
  ];
  for (const [cs, bytes, want] of cases) {
    test(`${cs}`, () => {
      assert.equal(decodeCharset(bytes, cs), want);
      assert.equal(isSupportedCharset(cs), want !== undefined);
    });
  }
  test('body decoder keeps a UTF-8 sequence split across writes', () => {
    const d = bodyDecoder('utf-8');
    const b = Buffer.from('é');
    assert.equal(d.write(b.subarray(0, 1)) + d.write(b.subarray(1)) + d.end(), 'é');
  });
  test('unknown body charset reads as UTF-8', () => {
    const d = bodyDecoder('x-unknown');
    assert.equal(d.write(Buffer.from('Grüße')) + d.end(), 'Grüße');
  });
});
