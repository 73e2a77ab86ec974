// Reading message files for SEARCH: fileChunks (pieces, offsets, unknown sizes), ScanPool.prefixes
// (real worker threads reading file prefixes) and forEachWithPrefix (read-ahead in batches), on real files.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { makeTempDir, type TempDir } from '../../../support/tmp.js';
import { searchModule } from './imapd-internals.js';

type FR = typeof import('../../../../packages/imapd/src/search/file-read.js');
type SP = typeof import('../../../../packages/imapd/src/search/scan-pool.js');
type PF = typeof import('../../../../packages/imapd/src/search/prefetch.js');
const { fileChunks, sizeHint } = await searchModule<FR>('file-read');
const { ScanPool } = await searchModule<SP>('scan-pool');
const { forEachWithPrefix } = await searchModule<PF>('prefetch');

let tmp: TempDir;
const files: Record<string, Buffer> = {
  empty: Buffer.alloc(0),
  small: Buffer.from('Subject: hi\n\nbody\n'),
  exact: Buffer.alloc(100, 0x61),
  large: Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251)),
};
const path = (name: string): string => join(tmp.path, name);

before(async () => {
  tmp = await makeTempDir('courier-ts-read-ahead-');
  for (const [name, bytes] of Object.entries(files)) await writeFile(path(name), bytes);
});
after(() => tmp.dispose());

async function collect(gen: AsyncGenerator<Buffer>): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const c of gen) out.push(c);
  return out;
}

describe('fileChunks', () => {
  for (const [name, bytes] of Object.entries(files)) {
    for (const size of [bytes.length, Number.NaN]) {
      for (const [first, rest] of [
        [100, 100],
        [7, 1000],
        [1 << 20, 3],
      ] as const) {
        test(`${name}, size ${size}, pieces ${first}/${rest}`, async () => {
          const pieces = await collect(fileChunks(path(name), size, first, rest));
          assert.deepEqual(Buffer.concat(pieces), bytes);
          if (pieces.length > 0) assert.ok(pieces[0]!.length <= first);
          for (const p of pieces.slice(1)) assert.ok(p.length <= rest && p.length > 0);
        });
      }
    }
  }
  test('from an offset (after a read-ahead prefix)', async () => {
    const pieces = await collect(fileChunks(path('large'), 5000, 64, 1000, 1234));
    assert.deepEqual(Buffer.concat(pieces), files.large!.subarray(1234));
  });
  test('a wrong size (a maildir name that lies) still gives the whole file', async () => {
    for (const size of [0, 10, 4999, 5001, 1 << 20]) {
      for (const [first, rest] of [
        [64, 1000],
        [1 << 20, 1 << 20],
      ] as const) {
        const pieces = await collect(fileChunks(path('large'), size, first, rest));
        assert.deepEqual(Buffer.concat(pieces), files.large, `size ${size}, pieces ${first}/${rest}`);
        assert.ok(pieces.length < 200, `${pieces.length} pieces: no byte-by-byte reads after a wrong size`);
      }
    }
  });
  test('sizeHint: the known size, else the ,S= of the name', () => {
    assert.equal(sizeHint(12, '1.M1P2.host,S=99:2,S'), 12);
    assert.equal(sizeHint(Number.NaN, '1.M1P2.host,S=99:2,S'), 99);
    assert.equal(sizeHint(Number.NaN, '1.M1P2.host,S=99,W=101:2,'), 99);
    assert.ok(Number.isNaN(sizeHint(Number.NaN, '1.M1P2.host:2,S')));
  });
  test('a missing file throws', async () => {
    await assert.rejects(collect(fileChunks(path('nope'), Number.NaN, 10, 10)), { code: 'ENOENT' });
  });
});

describe('ScanPool.prefixes (worker threads)', () => {
  test('prefixes: whole small files with eof, the first max bytes of larger ones, undefined for missing', async () => {
    const reader = new ScanPool({ threads: 2 });
    try {
      const names = ['small', 'exact', 'large', 'nope', 'empty'];
      for (const known of [true, false]) {
        const sizes = names.map((n) => (known ? (files[n]?.length ?? 0) : Number.NaN));
        const got = await reader.prefixes(names.map(path), sizes, 100);
        assert.deepEqual(got[0], { bytes: files.small, eof: true });
        assert.deepEqual(got[1], { bytes: files.exact, eof: false }, '100 bytes: EOF not seen yet');
        assert.deepEqual(got[2], { bytes: files.large!.subarray(0, 100), eof: false });
        assert.equal(got[3], undefined);
        assert.deepEqual(got[4], { bytes: Buffer.alloc(0), eof: true });
      }
      assert.equal(reader.running, 2);
      // wrong size hints: too large -> a short read, so EOF; too small -> more to read
      const wrong = await reader.prefixes([path('small'), path('large')], [1000, 10], 100);
      assert.deepEqual(wrong[0], { bytes: files.small, eof: true });
      assert.deepEqual(wrong[1], { bytes: files.large!.subarray(0, 11), eof: false });
    } finally {
      await reader.close();
    }
    assert.equal(reader.running, 0);
  });
  test('the worker stops when idle and starts again for the next batch', async () => {
    const reader = new ScanPool({ threads: 1, idleMs: 20 });
    try {
      await reader.prefixes([path('small')], [Number.NaN], 10);
      assert.equal(reader.running, 1);
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(reader.running, 0);
      const again = await reader.prefixes([path('small')], [Number.NaN], 10);
      assert.deepEqual(again[0]?.bytes, files.small!.subarray(0, 10));
    } finally {
      await reader.close();
    }
  });
});

describe('forEachWithPrefix', () => {
  const items = Array.from({ length: 150 }, (_, i) => ['small', 'large', 'nope'][i % 3]!);
  test('every item once, at most `parallel` at a time, each with its own prefix', async () => {
    const reader = new ScanPool({ threads: 2 });
    try {
      const seen: number[] = [];
      let running = 0;
      let most = 0;
      await forEachWithPrefix(
        items.map((name, i) => ({ name, i })),
        { reader, path: (t) => path(t.name), size: () => Number.NaN, max: 50, parallel: 3 },
        async (t, prefix) => {
          running++;
          most = Math.max(most, running);
          await new Promise((r) => setImmediate(r));
          if (t.name === 'nope') assert.equal(prefix, undefined);
          else assert.deepEqual(prefix?.bytes, files[t.name]!.subarray(0, 50));
          seen.push(t.i);
          running--;
        },
      );
      assert.deepEqual(
        [...seen].sort((a, b) => a - b),
        items.map((_, i) => i),
      );
      assert.ok(most <= 3 && most > 1, `at most ${most} at a time`);
    } finally {
      await reader.close();
    }
  });
  test('without a reader (or a path) the work reads for itself', async () => {
    let calls = 0;
    await forEachWithPrefix(
      items,
      { reader: undefined, path: undefined, size: () => 0, max: 50, parallel: 4 },
      async (_name, prefix) => {
        assert.equal(prefix, undefined);
        calls++;
      },
    );
    assert.equal(calls, items.length);
  });
});
