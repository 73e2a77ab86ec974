// The native helper's fast path, readFileNow: a message file in the kernel's caches is read on the
// calling thread and gives the same bytes and numbers as the thread-pool job (readFile) in every
// form (plain, stored bytes too, POP3 dot-stuffed, pooled); a file the kernel would have to read
// from disk is left to the pool job (undefined), and readServedFile still serves it right.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { MAILDIR_NATIVE, readServedFile } from '@courier-ts/maildir';
import { lfToCrlf } from '@courier-ts/maildir/internals';
import { tempDir } from './helpers.js';

const SERVE = { DOT_STUFF: 1, AT_LINE_START: 2, WANT_RAW: 4, POOLED: 8 };
const WRITTEN = Symbol.for('courier-ts.written');
const native = MAILDIR_NATIVE;
const skip = {
  skip: native?.readFileNow === undefined ? 'native helper (with readFileNow) not built' : false,
};

type PoolResult = { errno: number; out: Buffer | null; raw: Buffer | null; size: number };

/** readFile (the pool job) as a promise; a pooled result copied out and given back. */
function viaPool(path: string, max: number, flags: number): Promise<PoolResult> {
  return new Promise((resolve) => {
    native!.readFile(path, max, flags, (errno, out, raw, size, pooledLength, slot) => {
      const b =
        out === null ? null : Buffer.from(Buffer.isBuffer(out) ? out : Buffer.from(out, 0, pooledLength));
      if (slot >= 0) native!.release(slot);
      resolve({ errno, out: b, raw, size });
    });
  });
}

/** readFileNow with its numbers; a pooled result copied out and given back. */
function now(path: string, max: number, flags: number) {
  const o = new Float64Array(4);
  const got = native!.readFileNow!(path, max, flags, o);
  const [errno, size, pooledLength, slot] = [...o] as [number, number, number, number];
  if (got === undefined || got === null) return { got, errno, size };
  const [served, raw] = Array.isArray(got) ? got : [got, undefined];
  const pooled = !Buffer.isBuffer(served);
  const out = Buffer.from(pooled ? Buffer.from(served, 0, pooledLength) : served);
  if (pooled) native!.release(slot);
  return { got, errno, size, out, raw, pooled, pooledLength, slot };
}

/** Bytes of `path` in the page cache (util-linux fincore); 0 when fincore is missing. */
function residentBytes(path: string): number {
  try {
    return Number(
      execFileSync('fincore', ['--bytes', '--noheadings', '--output', 'RES', path], {
        encoding: 'utf8',
      }).trim(),
    );
  } catch {
    return 0;
  }
}

/** Drops the file from the page cache (fadvise DONTNEED through dd): false where that does nothing. */
function dropCached(path: string): boolean {
  execFileSync('dd', [`if=${path}`, 'iflag=nocache', 'count=0', 'status=none']);
  const fs = execFileSync('stat', ['-f', '-c', '%T', path], { encoding: 'utf8' }).trim();
  return fs !== 'tmpfs' && fs !== 'ramfs';
}

describe('readFileNow, the cached fast path of readFile', skip, () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const files: Record<string, Buffer> = {
    plain: Buffer.from('Subject: a\n\nline one\n.dot line\nno final newline', 'latin1'),
    crlf: Buffer.from('Subject: b\r\n\r\n.starts\r\nbare\rcr\r\n', 'latin1'),
    dotfirst: Buffer.from('.first line is a dot\n..two\n', 'latin1'),
    empty: Buffer.alloc(0),
    big: Buffer.from(`Subject: big\n\n${'.a line of the body\n'.repeat(20_000)}`, 'latin1'),
  };
  const path = (name: string): string => join(dir, name);

  before(async () => {
    ({ dir, cleanup } = await tempDir('served-now-'));
    for (const [name, bytes] of Object.entries(files)) await writeFile(path(name), bytes);
  });
  after(() => cleanup());

  for (const [label, flags] of [
    ['plain', 0],
    ['stored bytes too', SERVE.WANT_RAW],
    ['POP3 form', SERVE.DOT_STUFF | SERVE.AT_LINE_START],
    ['pooled', SERVE.POOLED],
    [
      'pooled POP3 form with stored bytes',
      SERVE.POOLED | SERVE.DOT_STUFF | SERVE.AT_LINE_START | SERVE.WANT_RAW,
    ],
  ] as const) {
    test(`${label}: the same bytes and sizes as the pool job`, async () => {
      for (const name of Object.keys(files)) {
        const want = await viaPool(path(name), 1 << 20, flags);
        const got = now(path(name), 1 << 20, flags);
        assert.ok(got.got !== undefined && got.got !== null, `${name}: read at once (it was just written)`);
        assert.equal(got.errno, 0);
        assert.equal(got.size, want.size, `${name}: stored size`);
        assert.ok(got.out!.equals(want.out!), `${name}: served bytes`);
        if (flags & SERVE.WANT_RAW) assert.ok(got.raw?.equals(files[name]!), `${name}: stored bytes`);
        else assert.equal(got.raw, undefined);
        if (!(flags & SERVE.DOT_STUFF)) assert.ok(got.out!.equals(lfToCrlf(files[name]!)), name);
        if (flags & SERVE.POOLED) {
          assert.equal(got.pooled, true, `${name}: in the pool`);
          assert.equal(got.pooledLength, got.out!.length);
        } else assert.equal(got.pooled, false);
      }
    });
  }

  test('over max: null and the size; a missing file: ENOENT (or left to the pool job)', async () => {
    const over = now(path('big'), 1000, 0);
    assert.equal(over.got, null);
    assert.equal(over.errno, 0);
    assert.equal(over.size, files.big!.length);
    for (let i = 0; i < 2; i++) {
      // The first lookup may not be cached yet (undefined); the failed lookup is, afterwards.
      const gone = now(path('missing'), 1 << 20, 0);
      if (gone.got === undefined) continue;
      assert.equal(gone.got, null);
      assert.equal(gone.errno, 2 /* ENOENT */);
    }
    await assert.rejects(readServedFile(path('missing'), 1 << 20), { code: 'ENOENT' });
    assert.throws(() => native!.readFileNow!(path('plain'), 10, 0, new Float64Array(2)), RangeError);
  });

  test('a file out of the page cache is left to the pool job, and readServedFile still serves it', async (t) => {
    const p = path('cold');
    const fh = await open(p, 'w');
    await fh.writeFile(files.big!);
    await fh.sync();
    await fh.close();
    if (!dropCached(p)) {
      t.skip('the temp dir is in memory: nothing to drop');
      return;
    }
    // The drop is advice: on a busy machine the kernel now and then keeps a page of it; asked again,
    // it lets go (fincore says what is resident). A file it never lets go of is not what this
    // test is about (skipped, not passed).
    for (let i = 0; residentBytes(p) > 0 && i < 5; i++) {
      await new Promise((r) => setTimeout(r, 50));
      dropCached(p);
    }
    if (residentBytes(p) > 0) {
      t.skip('the kernel kept the file in its page cache');
      return;
    }
    assert.equal(now(p, 1 << 20, 0).got, undefined, 'would have waited for the disk');
    dropCached(p);
    const r = await readServedFile(p, 1 << 20, { dotStuff: true });
    assert.ok(r.served?.equals(Buffer.concat([await viaPool(p, 1 << 20, 1 | 2)].map((x) => x.out!))));
    (r.served as Buffer & { [WRITTEN]?: () => void })[WRITTEN]?.();
    // read once: cached now
    const again = now(p, 1 << 20, 0);
    assert.ok(again.out?.equals(lfToCrlf(files.big!)));
  });
});
