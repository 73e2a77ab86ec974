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

describe('transfer decoders (one line at a time)', () => {
  const run = (enc: string, lines: string[]): string => {
    const d = transferDecoder(enc);
    const out = lines.map((l) => d.line(Buffer.from(l, 'latin1'), true));
    out.push(d.end());
    return Buffer.concat(out).toString('latin1');
  };
  const cases: [string, string[], string][] = [
    ['quoted-printable', ['caf=C3=A9 ok'], 'caf\xc3\xa9 ok\n'],
    ['quoted-printable', ['Soft=', ' break'], 'Soft break\n'],
    ['quoted-printable', ['trailing   '], 'trailing\n'],
    ['quoted-printable', ['bad =ZZ and =4'], 'bad =ZZ and =4\n'],
    ['quoted-printable', ['=3D=3d'], '==\n'],
    ['base64', ['SGVs', 'bG8g', 'd29y', 'bGQ='], 'Hello world'],
    ['base64', ['SGVsbG8gd29y', 'bGQ'], 'Hello world'],
    ['base64', ['SGVs bG8*'], 'Hello'],
    ['7bit', ['plain', 'text'], 'plain\ntext\n'],
    ['8bit', ['x'], 'x\n'],
  ];
  for (const [enc, lines, want] of cases) {
    test(`${enc} ${JSON.stringify(lines)}`, () => assert.equal(run(enc, lines), want));
  }
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
