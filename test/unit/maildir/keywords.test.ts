import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  formatKeywordList,
  readKeywords,
  resolveContext,
  sanitizeKeyword,
} from '@courier-ts/maildir/internals';
import { fixturesDir } from '../../support/paths.js';
import { FIXED_NOW, makeMaildir, tempDir } from './helpers.js';

describe('courierimapkeywords', () => {
  test(':list is byte-identical to the one Courier wrote (hash-bucket order, 0-based indexes)', async () => {
    // Produced by Courier-IMAP 5.0.13: STORE 1 +FLAGS (Work Important $Forwarded Zeta alpha),
    // STORE 2 +FLAGS (Important $Label1 junk NonJunk), STORE 3 +FLAGS (zz), then SELECT.
    const golden = await readFile(join(fixturesDir, 'maildir', 'keywords', 'courier-list.txt'), 'utf8');
    const m = new Map([
      ['1001.M1P1.h', new Set(['Work', 'Important', '$Forwarded', 'Zeta', 'alpha'])],
      ['1002.M1P1.h', new Set(['Important', '$Label1', 'junk', 'NonJunk'])],
      ['1003.M1P1.h', new Set(['zz'])],
    ]);
    assert.equal(formatKeywordList(m, [...m.keys()]), golden);
  });

  test('no keywords at all: nothing to write', () => {
    assert.equal(formatKeywordList(new Map([['a', new Set<string>()]]), ['a']), undefined);
  });

  test('forbidden characters become _', () => {
    assert.equal(sanitizeKeyword('a b(c)d{e%f*g"h\\i]j'), 'a_b_c_d_e_f_g_h_i_j');
  });

  test('merge: pending update beats aged beats :list; pending aged to .<T+1>.; stale removed', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await makeMaildir(dir);
      const kw = join(dir, 'courierimapkeywords');
      await mkdir(kw);
      const tn = Math.floor(FIXED_NOW / 1000 / 300);
      await writeFile(join(kw, ':list'), 'A\nB\n\nm1:0\nm2:1\nm3:0 1\ngone:0\n');
      await writeFile(join(kw, `.${tn - 3}.m2`), 'C\n'); // aged: replaces B
      await writeFile(join(kw, 'm3'), ''); // pending: clears m3
      await writeFile(join(kw, 'orphan'), 'X\n');
      const old = new Date(FIXED_NOW - 20 * 60 * 1000);
      await utimes(join(kw, 'orphan'), old, old);
      const ctx = resolveContext(dir, { clock: { now: () => FIXED_NOW }, hostname: 'h' });
      const keys = new Set(['m1', 'm2', 'm3']);
      const got = await readKeywords(ctx, dir, keys, { write: true });
      assert.deepEqual(Object.fromEntries(got), { m1: ['A'], m2: ['C'] });
      assert.equal(
        await readFile(join(kw, ':list'), 'utf8'),
        formatKeywordList(
          new Map([
            ['m1', new Set(['A'])],
            ['m2', new Set(['C'])],
          ]),
          ['m1', 'm2'],
        ),
      );
      const names = (await readdir(kw)).sort();
      assert.deepEqual(
        names,
        [`.${tn + 1}.m3`, ':list'].sort(),
        'aged m2 folded in and removed, orphan purged',
      );
      // Reading again is stable and writes nothing new.
      const before = (await stat(join(kw, ':list'))).mtimeMs;
      assert.deepEqual(Object.fromEntries(await readKeywords(ctx, dir, keys, { write: true })), {
        m1: ['A'],
        m2: ['C'],
      });
      assert.equal((await stat(join(kw, ':list'))).mtimeMs, before);
    } finally {
      await cleanup();
    }
  });

  test('read-only reading changes nothing on disk', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await makeMaildir(dir);
      const kw = join(dir, 'courierimapkeywords');
      await mkdir(kw);
      await writeFile(join(kw, 'm1'), 'Z\n');
      const ctx = resolveContext(dir, { clock: { now: () => FIXED_NOW } });
      const got = await readKeywords(ctx, dir, new Set(['m1']), { write: false });
      assert.deepEqual(Object.fromEntries(got), { m1: ['Z'] });
      assert.deepEqual(await readdir(kw), ['m1']);
    } finally {
      await cleanup();
    }
  });
});
