import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { corpusDir } from './corpus.js';
import { searchModule } from './imapd-internals.js';

type MW = typeof import('../../../../packages/imapd/src/search/mime-walker.js');
const { MimeWalker } = await searchModule<MW>('mime-walker');

interface Seen {
  headers: string[];
  text: string;
}

/** Walks a message fed in pieces of `size` bytes; CRLF when `crlf`. */
function walk(bytes: Buffer, size: number): Seen {
  const seen: Seen = { headers: [], text: '' };
  const w = new MimeWalker({
    headers(fields, depth) {
      seen.headers.push(`${depth}:${fields.map((f) => `${f.name}=${f.value}`).join('|')}`);
    },
    text(chunk) {
      seen.text += chunk;
    },
  });
  for (let i = 0; i < bytes.length; i += size) w.push(bytes.subarray(i, i + size));
  w.end();
  return seen;
}

function corpus(name: string, crlf = false): Buffer {
  const b = readFileSync(join(corpusDir, 'messages', name));
  return crlf ? Buffer.from(b.toString('latin1').replace(/\n/g, '\r\n'), 'latin1') : b;
}

const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();

describe('MimeWalker on the corpus: same events whole, byte by byte, in 3s and 7s, LF and CRLF', () => {
  const cases: [string, { text: string; blocks: number; has?: string[] }][] = [
    ['01-plan.eml', { text: 'The quick brown fox jumps over the lazy dog.', blocks: 1 }],
    [
      '02-reply-qp.eml',
      { text: 'Let us meet at the café on Friday. Soft break joins these words.', blocks: 1 },
    ],
    [
      '03-latin1-b64.eml',
      { text: 'Grüße aus München! Schönen Tag.', blocks: 1, has: ['Résumé für Alice', 'Jörg Müller'] },
    ],
    [
      '04-attached.eml',
      {
        text: 'See the attached message. Nested body text with naïve words.',
        blocks: 4,
        has: ['Inner secret report', 'X-Inner-Flag=yes'],
      },
    ],
    ['06-nosubject-1252.eml', { text: 'He said “smart quotes” cost 5 € today.', blocks: 1 }],
    [
      '08-html-2231.eml',
      { text: '<p>Hello <b>World</b> from Heidi</p>', blocks: 3, has: ["name*=utf-8''%C3%BCber%20plan.txt"] },
    ],
    ['11-koi8.eml', { text: 'Привет из Москвы', blocks: 1, has: ['Привет world', 'Супермен'] }],
    ['13-raw8bit.eml', { text: 'Grüße, straße.', blocks: 1, has: ['Zoë', 'Über raw header'] }],
  ];
  for (const [name, want] of cases) {
    test(name, () => {
      const ref = walk(corpus(name), 1 << 20);
      assert.equal(squash(ref.text), want.text);
      assert.equal(ref.headers.length, want.blocks);
      for (const h of want.has ?? [])
        assert.ok(
          ref.headers.some((b) => b.includes(h)),
          h,
        );
      for (const crlf of [false, true]) {
        for (const size of [1, 3, 7]) {
          const got = walk(corpus(name, crlf), size);
          assert.deepEqual(got.headers, ref.headers, `headers, size ${size}, crlf ${crlf}`);
          assert.equal(squash(got.text), squash(ref.text), `text, size ${size}, crlf ${crlf}`);
        }
      }
    });
  }
});

describe('MimeWalker structure rules', () => {
  const msg = (s: string): Buffer => Buffer.from(s.replace(/\n/g, '\r\n'));
  test('preamble, epilogue and non-text parts are not text', () => {
    const got = walk(corpus('04-attached.eml'), 5);
    assert.ok(!got.text.includes('preamble'));
    assert.ok(!got.text.includes('Epilogue'));
    assert.ok(!walk(corpus('08-html-2231.eml'), 5).text.includes('Secret'));
  });
  test('an unclosed inner multipart ends at the outer boundary', () => {
    const got = walk(
      msg(
        'Content-Type: multipart/mixed; boundary=o\n\n--o\nContent-Type: multipart/alternative; boundary=i\n\n--i\n\ninner text\n--o\n\nouter text\n--o--\n',
      ),
      2,
    );
    assert.equal(squash(got.text), 'inner text outer text');
  });
  test('multipart/digest parts default to message/rfc822', () => {
    const got = walk(
      msg('Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: digested\n\nbody one\n--d--\n'),
      4,
    );
    assert.ok(got.headers.some((h) => h.includes('Subject=digested')));
    assert.equal(squash(got.text), 'body one');
  });
  test('an over-long line is fed in pieces and not taken for a boundary', () => {
    const long = `${'x'.repeat(20000)} needle`;
    const got = walk(msg(`Subject: long\n\n${long}\nend\n`), 4096);
    assert.equal(squash(got.text), `${'x'.repeat(20000)} needle end`);
  });
  test('memory stays bounded: 4 MB of text (plain, QP and one 2 MB line) reaches the sink in pieces <= 72 KiB', () => {
    let largest = 0;
    let total = 0;
    const w = new MimeWalker({
      headers() {},
      text(chunk) {
        largest = Math.max(largest, chunk.length);
        total += chunk.length;
      },
    });
    w.push(Buffer.from('Content-Type: multipart/mixed; boundary=b\n\n--b\n\n'));
    const line = Buffer.from(`${'word '.repeat(15)}\n`);
    for (let i = 0; i < 25_000; i++) w.push(line);
    w.push(Buffer.from('--b\nContent-Transfer-Encoding: quoted-printable\n\n'));
    for (let i = 0; i < 10_000; i++) w.push(Buffer.from('caf=C3=A9 caf=C3=A9 =\n'));
    w.push(Buffer.from('\n--b\n\n'));
    for (let i = 0; i < 2048; i++) w.push(Buffer.alloc(1024, 0x61));
    w.push(Buffer.from('\n--b--\n'));
    w.end();
    assert.ok(total > 4_000_000, `total ${total}`);
    assert.ok(largest <= 72 * 1024, `largest piece ${largest}`);
  });
  test('lines starting with - inside text: only real boundaries end a part (whole, in pieces, CRLF)', () => {
    const src =
      'Content-Type: multipart/mixed; boundary=b\n\n--b\n\n- item\n-- \nsig\n--bx\n--b-\n---b\n' +
      'x--b\n--b \nafter\n--b--\nepilogue\n';
    const want = '- item -- sig --bx --b- ---b x--b';
    for (const crlf of [false, true]) {
      const bytes = crlf ? msg(src) : Buffer.from(src);
      for (const size of [1, 2, 5, 4096]) {
        const got = walk(bytes, size);
        assert.equal(squash(got.text), `${want}`, `size ${size} crlf ${crlf}`);
        assert.equal(got.headers.length, 3, '`--b ` (white space after it) is a boundary: a third block');
      }
    }
  });
  test('text: false reports header blocks only and is done after the last one', () => {
    for (const name of ['01-plan.eml', '04-attached.eml', '08-html-2231.eml']) {
      const ref = walk(corpus(name), 1 << 20);
      const headers: string[] = [];
      let text = '';
      const w = new MimeWalker(
        {
          headers(fields, depth) {
            headers.push(`${depth}:${fields.map((f) => `${f.name}=${f.value}`).join('|')}`);
          },
          text(chunk) {
            text += chunk;
          },
        },
        { text: false },
      );
      const bytes = corpus(name);
      for (let i = 0; i < bytes.length; i += 3) w.push(bytes.subarray(i, i + 3));
      assert.equal(w.done, true, name);
      w.end();
      assert.deepEqual(headers, ref.headers, name);
      assert.equal(text, '', name);
    }
    const single = new MimeWalker({ headers() {}, text() {} }, { text: false });
    single.push(Buffer.from('Subject: x\n\nbody'));
    assert.equal(single.done, true, 'a single-part message is done after its header');
    const withText = new MimeWalker({ headers() {}, text() {} });
    withText.push(Buffer.from('Subject: x\n\nbody'));
    assert.equal(withText.done, false, 'unless its text is wanted');
  });
  test('a message without a blank line is all header', () => {
    const got = walk(Buffer.from('Subject: only\nFrom: a@b'), 3);
    assert.deepEqual(got.headers, ['0:Subject=only|From=a@b']);
    assert.equal(squash(got.text), '');
  });
});
