import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { formatBodyStructure, MimeScanner, parseSection, resolveSection, scanMime } from '@courier-ts/imapd';
import { fixturesDir } from '../../../support/paths.js';

const crlfFile = readFileSync(join(fixturesDir, 'imapd', 'mime', 'crlf-multipart.eml'));

describe('MimeScanner options and limits', () => {
  test("lineEnds 'courier': every LF gains a CR (CRLF files grow to CR CR LF)", () => {
    const st = scanMime(crlfFile);
    const lfs = crlfFile.toString('latin1').split('\n').length - 1;
    assert.equal(st.size.raw, crlfFile.length);
    assert.equal(st.size.crlf, crlfFile.length + lfs);
  });

  test("lineEnds 'normalize': CRLF files are served as they are", () => {
    const st = scanMime(crlfFile, { lineEnds: 'normalize' });
    assert.equal(st.size.crlf, crlfFile.length);
    const sec = parseSection('1');
    const t = resolveSection(st.root, sec.part, sec.specifier);
    assert.ok(t.kind === 'range');
    assert.equal(crlfFile.toString('latin1', t.start.crlf, t.start.crlf + t.length), 'line one\r\nline two');
    assert.equal(
      formatBodyStructure(st.root, false),
      '(("text" "plain" NIL NIL NIL "8bit" 18 1)("text" "plain" ("charset" "us-ascii") NIL NIL "8bit" 6 0) "mixed")',
    );
  });

  test('structure independent of chunking in both line-end modes (runs of body lines, pending lines, a reused buffer)', () => {
    const dir = join(fixturesDir, 'imapd', 'mime');
    const body = Array.from({ length: 300 }, (_, i) =>
      i % 7 === 0 ? '-- not a boundary\r\n' : `line ${i}\n`,
    ).join('');
    const mixed = Buffer.from(
      `MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\n${body}--b\r\nContent-Type: text/plain\r\n\r\n${body}\n--b--\nepilogue\n${body}`,
      'latin1',
    );
    for (const file of [crlfFile, mixed, readFileSync(join(dir, 'nested-multipart.eml'))]) {
      for (const lineEnds of ['courier', 'normalize'] as const) {
        const whole = JSON.stringify(scanMime(file, { lineEnds }));
        for (const size of [1, 2, 3, 7, 64, 1000, 8191, 8193]) {
          const sc = new MimeScanner({ lineEnds });
          for (let i = 0; i < file.length; i += size) sc.push(file.subarray(i, i + size));
          assert.equal(JSON.stringify(sc.finish()), whole, `${lineEnds} chunks of ${size}`);
          // Every chunk read into the same buffer, as the scan threads do: nothing may refer to it.
          const shared = Buffer.alloc(size);
          const sr = new MimeScanner({ lineEnds });
          for (let i = 0; i < file.length; i += size)
            sr.push(shared.subarray(0, file.copy(shared, 0, i, i + size)));
          assert.equal(
            JSON.stringify(sr.finish()),
            whole,
            `${lineEnds} chunks of ${size} in one reused buffer`,
          );
        }
      }
    }
  });

  test('normalize and courier agree on LF-only files', () => {
    const lfOnly = Buffer.from('From: a@b.c\nMIME-Version: 1.0\n\nx\ny\n');
    assert.deepEqual(scanMime(lfOnly, { lineEnds: 'normalize' }), scanMime(lfOnly));
  });

  test('header kept for ENVELOPE is capped', () => {
    const big = Buffer.from(`Subject: ${'s'.repeat(5000)}\nFrom: a@b.c\n\nbody\n`);
    const st = scanMime(big, { maxHeaderCapture: 100 });
    assert.equal(st.root.header?.length, 100);
    assert.equal(scanMime(big).root.header?.length, 5000 + 9 + 1 + 12 + 1);
  });

  test('part limit: further lines are ignored, the real size still counts', () => {
    const parts = Array.from({ length: 6 }, (_, i) => `--b\n\npart ${i}\n`).join('');
    const msg = Buffer.from(
      `MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n${parts}--b--\n`,
    );
    const st = scanMime(msg, { maxParts: 3 });
    assert.equal(st.truncated, true);
    assert.equal(st.root.children.length, 3);
    assert.equal(st.size.raw, msg.length);
    assert.ok(st.root.fullSize < st.size.crlf);
    assert.equal(scanMime(msg).truncated, false);
  });

  test('8-bit headers are reported (top level, MIME parts and attached messages)', () => {
    assert.equal(
      scanMime(Buffer.from('Subject: caf\xc3\xa9\n\nbody \xc3\xa9\n', 'latin1')).eightBitHeaders,
      true,
    );
    assert.equal(scanMime(Buffer.from('Subject: cafe\n\nbody \xc3\xa9\n', 'latin1')).eightBitHeaders, false);
    const nested = 'MIME-Version: 1.0\nContent-Type: message/rfc822\n\nSubject: \xe9\n\nx\n';
    assert.equal(scanMime(Buffer.from(nested, 'latin1')).eightBitHeaders, true);
  });

  test('push after finish is a programming error', () => {
    const s = new MimeScanner();
    s.push(Buffer.from('a: b\n\n'));
    s.finish();
    assert.throws(() => s.push(Buffer.from('x')), /after finish/);
  });

  test('finish is idempotent', () => {
    const s = new MimeScanner();
    s.push(Buffer.from('Subject: x\n\nunterminated'));
    assert.deepEqual(s.finish(), s.finish());
  });

  test('memory stays bounded for a huge single-line body (no full-line buffering)', () => {
    const s = new MimeScanner();
    s.push(Buffer.from('MIME-Version: 1.0\n\n'));
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    for (let i = 0; i < 160; i++) s.push(chunk); // 10 MiB without a newline
    s.push(Buffer.from('\n'));
    const st = s.finish();
    assert.equal(st.root.size, 160 * 64 * 1024 + 2);
    assert.equal(st.root.lines, 1);
  });

  test("Courier's 8 KiB read blocks: a line with over 1 KiB pending at a block end is cut there", () => {
    const head = 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\n';
    // A boundary line of 2,000 bytes starting at `start`: cut (so no boundary) when more than
    // 1 KiB of it is pending at the end of an 8 KiB block, whatever the chunks pushed.
    const at = (start: number): Buffer =>
      Buffer.from(
        `${head}${'y\n'.repeat((start - head.length) / 2)}--b${'x'.repeat(2000)}\nsecond\n--b--\n`,
        'latin1',
      );
    const parts = (msg: Buffer, chunk: number): number => {
      const sc = new MimeScanner();
      for (let i = 0; i < msg.length; i += chunk) sc.push(msg.subarray(i, i + chunk));
      return sc.finish().root.children.length;
    };
    const cases: Array<[number, number]> = [
      [4000, 2],
      [7000, 1], // 1,192 bytes pending at 8192
      [7168, 2], // exactly 1 KiB pending: not cut
      [7170, 2],
      [7000 + 8192, 1], // the third block end
      [7168 + 8192, 2],
    ];
    for (const [start, want] of cases) {
      const msg = at(start);
      assert.equal(msg.indexOf('--bx'), start);
      for (const chunk of [Number.MAX_SAFE_INTEGER, 1, 1000, 4096, 8191, 8192, 8193, 65536]) {
        assert.equal(parts(msg, chunk), want, `line at ${start}, chunks of ${chunk}`);
      }
    }
  });
});
