// The served (CRLF) form of message files through the native helper and through JavaScript: the same
// bytes for every edge case (CRLF-stored files, bare CRs, no final newline, `.` at line starts, chunk
// boundaries between CR and LF and before a `.`), whole, as ranges, streamed in chunks, and in POP3's
// dot-stuffed form (compared with pop3d's DotStuffer); renamed and vanished files; no stale bytes.
import assert from 'node:assert/strict';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { MAILDIR_NATIVE, MessageGoneError, readServedFile } from '@courier-ts/maildir';
import { lfToCrlf } from '@courier-ts/maildir/internals';
import { repoRoot } from '../../support/paths.js';
import { tempDir } from './helpers.js';

type Reader = typeof import('../../../packages/maildir/src/message/message-reader.js');
type Native = typeof import('../../../packages/maildir/src/message/native.js');
type Stuffer = typeof import('../../../packages/pop3d/src/protocol/dot-stuffer.js');
const dist = (pkg: string, rel: string): string =>
  pathToFileURL(join(repoRoot, 'packages', pkg, 'dist', rel)).href;
const { openCrlfStream } = (await import(dist('maildir', 'message/message-reader.js'))) as Reader;
const { SERVE } = (await import(dist('maildir', 'message/native.js'))) as Native;
const { DotStuffer } = (await import(dist('pop3d', 'protocol/dot-stuffer.js'))) as Stuffer;

const native = MAILDIR_NATIVE;
const noNative = { skip: native === undefined ? 'native helper not built' : false };

/** POP3 multi-line body of a stored message as pop3d's JavaScript dot-stuffer makes it. */
function stuffedByJs(raw: Buffer): { bytes: Buffer; consumed: number } {
  const s = new DotStuffer();
  const body = s.push(lfToCrlf(raw));
  return { bytes: Buffer.concat([body, s.finish()]), consumed: s.consumed };
}

const CASES: Record<string, string> = {
  empty: '',
  lf: '\n',
  'two blank lines': '\n\n',
  plain: 'Subject: a\n\nbody\n',
  'CRLF stored': 'Subject: a\r\n\r\nbody\r\n',
  'bare CR': 'a\rb\n\rc\r',
  'CR at end': 'line\r',
  'no final newline': 'Subject: a\n\nlast line',
  'dot lines': '.\n..\n.x\n\n.\n',
  'dot first, no newline': '.',
  'dot after CRLF': 'a\r\n.b\r\n.\r\n',
  'dot after bare CR': 'a\r.b\n',
  'only dots': '...',
  'long line': `${'x'.repeat(70_000)}\n.${'y'.repeat(10)}`,
};

describe('native conversion = JavaScript conversion', noNative, () => {
  for (const [name, text] of Object.entries(CASES)) {
    test(name, () => {
      const raw = Buffer.from(text, 'latin1');
      assert.deepEqual(native!.convert(raw, 0), lfToCrlf(raw));
      assert.deepEqual(
        native!.convert(raw, SERVE.AT_LINE_START),
        lfToCrlf(raw),
        'no stuffing without DOT_STUFF',
      );
      const js = stuffedByJs(raw);
      const body = native!.convert(raw, SERVE.DOT_STUFF | SERVE.AT_LINE_START);
      const atLineStart = raw.length === 0 || raw[raw.length - 1] === 0x0a;
      const tail = Buffer.from(atLineStart ? '.\r\n' : '\r\n.\r\n');
      assert.deepEqual(Buffer.concat([body, tail]), js.bytes);
      assert.equal(js.consumed, raw.length, "Courier's retr= counter is the stored size");
    });
  }

  test('split anywhere (CR | LF, LF | dot): chunks converted apart join to the whole', () => {
    const raw = Buffer.from('a\r\n.b\n.\n\r\n..\nc\r\r\n.', 'latin1');
    const whole = native!.convert(raw, SERVE.DOT_STUFF | SERVE.AT_LINE_START);
    for (let cut = 0; cut <= raw.length; cut++) {
      const a = raw.subarray(0, cut);
      const b = raw.subarray(cut);
      const aStart = SERVE.AT_LINE_START;
      const bStart = cut === 0 || raw[cut - 1] === 0x0a ? SERVE.AT_LINE_START : 0;
      const joined = Buffer.concat([
        native!.convert(a, SERVE.DOT_STUFF | aStart),
        native!.convert(b, SERVE.DOT_STUFF | bStart),
      ]);
      assert.deepEqual(joined, whole, `cut at ${cut}`);
      assert.deepEqual(Buffer.concat([native!.convert(a, 0), native!.convert(b, 0)]), lfToCrlf(raw));
    }
  });
});

describe('message files in their served form', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const locateNone = async (): Promise<string | undefined> => undefined;
  const ref = (name: string) => ({ filename: name, key: name.split(':')[0]!, uid: 7 });
  const read = async (s: Readable): Promise<Buffer> => {
    const parts: Buffer[] = [];
    for await (const c of s) parts.push(c as Buffer);
    return Buffer.concat(parts);
  };
  // Larger than a stream chunk (1 MiB): a `.` line starts exactly at the second chunk, a CR ends the
  // first chunk of another file with its LF in the second.
  const big = Buffer.alloc(2.5 * 1024 * 1024 + 17, 'x');
  for (let i = 99; i < big.length; i += 100) big[i] = 0x0a;
  big[1024 * 1024 - 1] = 0x0a;
  big[1024 * 1024] = 0x2e;
  const bigCr = Buffer.from(big);
  bigCr[1024 * 1024 - 1] = 0x0d;
  bigCr[1024 * 1024] = 0x0a;
  const files: Record<string, Buffer> = {
    ...Object.fromEntries(Object.entries(CASES).map(([k, v]) => [k, Buffer.from(v, 'latin1')])),
    big,
    bigCr,
  };
  const names = Object.keys(files);
  const fileName = (i: number): string => `17000000${String(i).padStart(2, '0')}.M1P1.host:2,S`;

  before(async () => {
    ({ dir, cleanup } = await tempDir('served-form-'));
    for (const [i, n] of names.entries()) await writeFile(join(dir, fileName(i)), files[n]!);
  });
  after(() => cleanup());

  for (const [i, n] of names.entries()) {
    test(`${n}: whole, with and without a size hint, native and JavaScript, ranges`, async () => {
      const raw = files[n]!;
      const want = lfToCrlf(raw);
      const variants = [
        {},
        { native: undefined },
        { sizeHint: raw.length },
        { sizeHint: raw.length, native: undefined },
        { sizeHint: 3 },
        { sizeHint: want.length + 5 },
      ];
      for (const o of variants) {
        assert.deepEqual(
          await read(openCrlfStream(dir, ref(fileName(i)), locateNone, {}, undefined, o)),
          want,
        );
      }
      for (const [s, e] of [
        [0, 1],
        [1, 5],
        [0, want.length],
        [Math.max(0, want.length - 3), want.length + 10],
        [1024 * 1024 - 2, 1024 * 1024 + 3],
        [1024 * 1024 + 5, 2 * 1024 * 1024 + 9],
      ] as const) {
        for (const o of [{}, { native: undefined }]) {
          const got = await read(
            openCrlfStream(dir, ref(fileName(i)), locateNone, { start: s, end: e }, undefined, o),
          );
          assert.deepEqual(got, want.subarray(s, e), `[${s}, ${e})`);
        }
      }
    });

    test(`${n}: POP3 form (dot-stuffed, . line) = pop3d's DotStuffer`, noNative, async () => {
      const js = stuffedByJs(files[n]!);
      for (const sizeHint of [files[n]!.length, undefined]) {
        const s = openCrlfStream(dir, ref(fileName(i)), locateNone, {}, undefined, {
          dotStuff: true,
          ...(sizeHint === undefined ? {} : { sizeHint }),
        }) as Readable & { readonly dotStuffed: boolean; readonly rawBytes: number };
        assert.equal(s.dotStuffed, true);
        assert.deepEqual(await read(s), js.bytes);
        assert.equal(s.rawBytes, js.consumed);
      }
    });
  }

  test('without the native helper the POP3 form is not offered (the caller stuffs)', async () => {
    const s = openCrlfStream(dir, ref(fileName(0)), locateNone, {}, undefined, {
      dotStuff: true,
      native: undefined,
    }) as Readable & { readonly dotStuffed: boolean };
    assert.equal(s.dotStuffed, false);
    await read(s);
  });

  test('a file renamed meanwhile is found under its new name, for both readers', async () => {
    const name = '1700000100.M1P1.host:2,';
    await writeFile(join(dir, name), 'Subject: r\n\n.dot\n');
    await rename(join(dir, name), join(dir, `${name}S`));
    const locate = async (key: string) => (key === '1700000100.M1P1.host' ? `${name}S` : undefined);
    for (const o of [{ sizeHint: 20 }, {}, { native: undefined }]) {
      const got = await read(openCrlfStream(dir, ref(name), locate, {}, undefined, o));
      assert.equal(got.toString(), 'Subject: r\r\n\r\n.dot\r\n');
    }
  });

  test('a vanished file is MessageGoneError, for both readers', async () => {
    const name = '1700000200.M1P1.host:2,';
    for (const o of [{ sizeHint: 20 }, {}, { native: undefined }]) {
      await assert.rejects(
        read(openCrlfStream(dir, ref(name), locateNone, {}, undefined, o)),
        MessageGoneError,
      );
    }
  });

  test('no stale bytes: each open reads the file as it is now', async () => {
    const name = '1700000300.M1P1.host:2,';
    const path = join(dir, name);
    for (const body of ['first\n', 'second, longer\n.x\n', '']) {
      await writeFile(path, body);
      const want = lfToCrlf(Buffer.from(body));
      assert.deepEqual(
        await read(openCrlfStream(dir, ref(name), locateNone, {}, undefined, { sizeHint: 5 })),
        want,
      );
      const r = await readServedFile(path, 1000, { wantRaw: true });
      assert.deepEqual(r.served, want);
      assert.deepEqual(r.raw, Buffer.from(body));
    }
    await unlink(path);
  });

  test('readServedFile: at most max bytes whole, else only the size; errors as fs gives them', async () => {
    const path = join(dir, fileName(names.indexOf('plain')));
    const raw = await readFile(path);
    for (const o of [{}, { native: undefined }]) {
      const fit = await readServedFile(path, raw.length, { ...o, wantRaw: true });
      assert.deepEqual(fit.served, lfToCrlf(raw));
      assert.deepEqual(fit.raw, raw);
      assert.equal(fit.rawSize, raw.length);
      const over = await readServedFile(path, raw.length - 1, o);
      assert.equal(over.served, undefined);
      assert.equal(over.rawSize, raw.length);
      assert.equal((await readServedFile(path, raw.length, o)).raw, undefined, 'raw only when asked');
      await assert.rejects(readServedFile(join(dir, 'nope'), 10, o), { code: 'ENOENT' });
    }
  });
});
