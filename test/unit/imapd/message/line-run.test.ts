// Runs of body lines (message/line-run.ts): the JavaScript counter against a table of exact
// results, and the maildir addon's `mimeLines` against the JavaScript one (same table, then
// random buffers and starts); then MimeScanner with either counter, fed chunks read into one
// reused buffer that is overwritten after each push(), against a whole-message scan.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { formatBodyStructure, formatEnvelope, MimeScanner, type ScanOptions } from '@courier-ts/imapd';
import { MAILDIR_NATIVE } from '@courier-ts/maildir';
// Not part of the package's public API: loaded from the build by path (types from its .d.ts).
import type * as LineRunModule from '../../../../packages/imapd/dist/message/line-run.js';
import { fixturesDir, repoRoot } from '../../../support/paths.js';
import { rng } from '../../../support/rng.js';

const { jsLineRun, nativeLineRun } = (await import(
  pathToFileURL(join(repoRoot, 'packages', 'imapd', 'dist', 'message', 'line-run.js')).href
)) as typeof LineRunModule;

type LineRun = LineRunModule.LineRun;
const native = nativeLineRun(MAILDIR_NATIVE);

interface Run {
  readonly lines: number;
  readonly stop: number;
  readonly crs: number;
  readonly last: readonly [number, number];
}

function run(f: LineRun, text: string, start: number, normalize: boolean): Run {
  const out = new Int32Array(4).fill(-7);
  const lines = f(Buffer.from(text, 'latin1'), start, normalize, out);
  return { lines, stop: out[0]!, crs: out[1]!, last: [out[2]!, out[3]!] };
}

// [text, start, normalize, expected]
const CASES: ReadonlyArray<readonly [string, number, boolean, Run]> = [
  ['', 0, false, { lines: 0, stop: 0, crs: 0, last: [0, 0] }],
  ['abc', 0, false, { lines: 0, stop: 0, crs: 0, last: [0, 0] }],
  ['abc', 3, false, { lines: 0, stop: 3, crs: 0, last: [3, 3] }],
  ['a\n', 0, false, { lines: 1, stop: 2, crs: 1, last: [0, 1] }],
  ['a\nb\nc', 0, false, { lines: 2, stop: 4, crs: 2, last: [2, 3] }],
  ['\n\n\n', 0, false, { lines: 3, stop: 3, crs: 3, last: [2, 2] }],
  ['\n\n\n', 1, false, { lines: 2, stop: 3, crs: 2, last: [2, 2] }],
  // The first line is counted whatever it holds; the run stops before the next `--` line.
  ['--a\nb\n--c\nd\n', 0, false, { lines: 2, stop: 6, crs: 2, last: [4, 5] }],
  ['--a\nb\n--c\nd\n', 6, false, { lines: 2, stop: 12, crs: 2, last: [10, 11] }],
  // A single `-` is no stop; `--` at the very end (no LF after it) ends the run as a tail.
  ['x\n-y\n-\n--', 0, false, { lines: 3, stop: 7, crs: 3, last: [5, 6] }],
  ['x\n-', 0, false, { lines: 1, stop: 2, crs: 1, last: [0, 1] }],
  // CR LF: one CR added per LF (courier), none after a CR (normalize); a bare LF still gets one.
  ['a\r\nb\r\n\nc', 0, false, { lines: 3, stop: 7, crs: 3, last: [6, 6] }],
  ['a\r\nb\r\n\nc', 0, true, { lines: 3, stop: 7, crs: 1, last: [6, 6] }],
  ['\r\n\r\n', 0, true, { lines: 2, stop: 4, crs: 0, last: [2, 3] }],
  ['a\r\n--b\r\n', 0, true, { lines: 1, stop: 3, crs: 0, last: [0, 2] }],
];

function randomText(next: () => number, n: number): string {
  const alphabet = ['-', '-', '\n', '\n', '\r', 'a', 'b', '\x00', '\xff'];
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(next() * alphabet.length)];
  return s;
}

describe('line runs', () => {
  test('JavaScript counter: table', () => {
    for (const [text, start, normalize, want] of CASES)
      assert.deepEqual(
        run(jsLineRun, text, start, normalize),
        want,
        JSON.stringify([text, start, normalize]),
      );
  });

  test('native counter (maildir addon): table, and random buffers as the JavaScript one', (t) => {
    if (native === undefined) {
      t.skip('maildir native addon not built (or built without mimeLines)');
      return;
    }
    for (const [text, start, normalize, want] of CASES)
      assert.deepEqual(run(native, text, start, normalize), want, JSON.stringify([text, start, normalize]));
    const next = rng(7);
    for (let i = 0; i < 3000; i++) {
      const text = randomText(next, Math.floor(next() * 200));
      const start = Math.floor(next() * (text.length + 1));
      const normalize = next() < 0.5;
      assert.deepEqual(
        run(native, text, start, normalize),
        run(jsLineRun, text, start, normalize),
        JSON.stringify([text, start, normalize]),
      );
    }
  });

  test('native counter refuses bad arguments', (t) => {
    if (MAILDIR_NATIVE?.mimeLines === undefined) {
      t.skip('maildir native addon not built (or built without mimeLines)');
      return;
    }
    const f = MAILDIR_NATIVE.mimeLines.bind(MAILDIR_NATIVE);
    assert.throws(() => f(Buffer.from('a\n'), 0, false, new Int32Array(3)), RangeError);
    assert.throws(() => f(Buffer.from('a\n'), -1, false, new Int32Array(4)), RangeError);
    assert.throws(
      () => f(Buffer.from('a\n'), 0, false, new Float64Array(4) as unknown as Int32Array),
      RangeError,
    );
  });
});

const DIR = join(fixturesDir, 'imapd', 'mime');
const corpus = readdirSync(DIR)
  .filter((f) => f.endsWith('.eml'))
  .sort()
  .map((f) => ({ name: f, bytes: readFileSync(join(DIR, f)) }));

/** Structure and the texts formatted from it, for comparing scans. */
function scanned(s: MimeScanner): string {
  const st = s.finish();
  return `${JSON.stringify(st)}\n${formatEnvelope(st.root.header ?? '')}\n${formatBodyStructure(st.root, true)}`;
}

/** Scans `bytes` in `size`-byte chunks read into one buffer, overwritten after each push(). */
function scanReused(bytes: Buffer, size: number, options: ScanOptions): string {
  const s = new MimeScanner(options);
  const buf = Buffer.alloc(size);
  for (let at = 0; at < bytes.length; at += size) {
    const n = bytes.copy(buf, 0, at, at + size);
    s.push(buf.subarray(0, n));
    buf.fill(0x2d);
  }
  return scanned(s);
}

describe('MimeScanner with a reused read buffer and either line counter', () => {
  test('the MIME corpus scans as a whole-message scan, in both line-end modes', () => {
    assert.ok(corpus.length > 30);
    for (const lineEnds of ['courier', 'normalize'] as const) {
      for (const { name, bytes } of corpus) {
        const whole = new MimeScanner({ lineEnds });
        whole.push(Buffer.from(bytes));
        const want = scanned(whole);
        for (const size of [1, 7, 1000, 8192, 65536]) {
          if (size === 1 && bytes.length > 200_000) continue;
          assert.equal(scanReused(bytes, size, { lineEnds }), want, `${name} ${lineEnds} ${size} js`);
          if (native !== undefined)
            assert.equal(
              scanReused(bytes, size, { lineEnds, lineRun: native }),
              want,
              `${name} ${lineEnds} ${size} native`,
            );
        }
      }
    }
  });
});
