import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MimeScanner } from '@courier-ts/maildir/internals';

/** `reuse`: every chunk comes in one buffer, overwritten with junk once pushed (as measureFile reads). */
function scan(text: string, size: number, reuse = false) {
  const s = new MimeScanner();
  const b = Buffer.from(text, 'utf8');
  const buf = Buffer.alloc(size);
  for (let i = 0; i < b.length; i += size) {
    if (!reuse) {
      s.push(b.subarray(i, i + size));
      continue;
    }
    const n = b.copy(buf, 0, i, i + size);
    s.push(buf.subarray(0, n));
    buf.fill(0xe9);
  }
  return s.end();
}

// Expected utf8 values checked against courierpop3d (courierpop3dsizelist third field).
const CASES: Array<[string, string, boolean]> = [
  ['plain', 'Subject: a\n\nbody é\n', false],
  ['8-bit subject', 'Subject: café\n\nbody\n', true],
  ['8-bit continuation line', 'Subject: a\n b\u00e9\n\nx\n', true],
  [
    '8-bit in a MIME part header only',
    'Subject: b\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: text/plain; name="ré"\n\nhi\n--x--\n',
    true,
  ],
  [
    '8-bit in a part body only',
    'Subject: b\nContent-Type: multipart/mixed; boundary="x"\n\n--x\nContent-Type: text/plain\n\nhé\n--x--\n',
    false,
  ],
  [
    'after the closing boundary is epilogue',
    'Content-Type: multipart/mixed; boundary=x\n\n--x\n\nhi\n--x--\nX-Not: é\n',
    false,
  ],
  [
    'embedded message/rfc822 headers do not count',
    'Content-Type: message/rfc822\n\nSubject: é\n\nbody\n',
    false,
  ],
  ['no blank line', 'Subject: a\nX: y', false],
];

describe('MimeScanner (size, LF count, 8-bit headers)', () => {
  for (const [name, text, utf8] of CASES) {
    test(name, () => {
      const whole = scan(text, 1 << 20);
      assert.equal(whole.utf8Headers, utf8);
      assert.equal(whole.size, Buffer.byteLength(text));
      assert.equal(whole.lfs, text.split('\n').length - 1);
      assert.deepEqual(scan(text, 1), whole, 'byte by byte');
      assert.deepEqual(scan(text, 7), whole);
      for (const size of [1, 5, 13]) assert.deepEqual(scan(text, size, true), whole, `one buffer of ${size}`);
    });
  }
});
