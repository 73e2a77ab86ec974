import assert from 'node:assert/strict';
import { readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  checkQuota,
  countsForQuota,
  formatQuotaString,
  formatSizeLine,
  parseQuotaString,
  readMaildirsize,
  recalculateMaildirsize,
  resolveContext,
} from '@courier-ts/maildir/internals';
import { makeMaildir, put, tempDir } from './helpers.js';

describe('maildirsize', () => {
  test('quota strings', () => {
    assert.deepEqual(parseQuotaString('10000000S,1000C'), { bytes: 10000000, messages: 1000 });
    assert.deepEqual(parseQuotaString('1000C'), { bytes: 0, messages: 1000 });
    assert.equal(formatQuotaString({ bytes: 5, messages: 0 }), '5S');
    assert.equal(formatQuotaString({ bytes: 5, messages: 7 }), '5S,7C');
    assert.equal(formatQuotaString({ bytes: 0, messages: 7 }), '7C');
  });
  test('lines are 26 bytes (%12s %12s)', () => {
    assert.equal(formatSizeLine(2048, 1), '        2048            1\n');
    assert.equal(formatSizeLine(-2048, -1), '       -2048           -1\n');
    assert.equal(formatSizeLine(0, 0).length, 26);
  });
  test('T-flagged messages do not count', () => {
    assert.equal(countsForQuota('1.M1P1.h:2,ST'), false);
    assert.equal(countsForQuota('1.M1P1.h:2,S'), true);
    assert.equal(countsForQuota('1.M1P1.h'), true);
  });
  test('recalculation: root + folders, not .Trash, ,S= or stat; then additions and deletions', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await makeMaildir(dir);
      await makeMaildir(join(dir, '.Sent'));
      await makeMaildir(join(dir, '.Trash'));
      await put(dir, 'new', '1.M1P1.h,S=100', 'x'.repeat(7));
      await put(dir, 'cur', '2.M1P1.h:2,S', 'y'.repeat(50));
      await put(dir, 'cur', '3.M1P1.h:2,T', 'z'.repeat(9));
      await put(join(dir, '.Sent'), 'cur', '4.M1P1.h:2,', 'w'.repeat(20));
      await put(join(dir, '.Trash'), 'cur', '5.M1P1.h:2,', 'v'.repeat(1000));
      const ctx = resolveContext(dir, {});
      const r = await recalculateMaildirsize(ctx, dir, { bytes: 1000, messages: 10 });
      assert.deepEqual(r, { bytes: 170, messages: 3 });
      assert.equal(await readFile(join(dir, 'maildirsize'), 'utf8'), `1000S,10C\n${formatSizeLine(170, 3)}`);
      const s = await readMaildirsize(dir);
      assert.equal(s?.nlines, 1);
      assert.equal(await checkQuota(ctx, dir, 830, 1), true, 'exactly at the limit is allowed');
      assert.equal(await checkQuota(ctx, dir, 831, 1), false);
    } finally {
      await cleanup();
    }
  });
  test('negative totals or an oversized file force a recalculation', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await makeMaildir(dir);
      await put(dir, 'cur', '1.M1P1.h,S=10:2,', 'x'.repeat(10));
      await writeFile(join(dir, 'maildirsize'), `100S\n${formatSizeLine(-500, -3)}`);
      assert.equal((await readMaildirsize(dir))?.recalculationNeeded, true);
      const ctx = resolveContext(dir, {});
      assert.equal(await checkQuota(ctx, dir, 1, 1), true);
      assert.equal(await readFile(join(dir, 'maildirsize'), 'utf8'), `100S\n${formatSizeLine(10, 1)}`);
      await writeFile(join(dir, 'maildirsize'), `100S\n${formatSizeLine(1, 1).repeat(200)}`);
      const big = await readMaildirsize(dir);
      assert.equal(big?.recalculationNeeded, true);
      assert.deepEqual(big?.def, { bytes: 100, messages: 0 });
    } finally {
      await cleanup();
    }
  });
  test('over quota with one line and a young file: no recalculation; old file: recalculated', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await makeMaildir(dir);
      await writeFile(join(dir, 'maildirsize'), `100S\n${formatSizeLine(500, 1)}`);
      const ctx = resolveContext(dir, {});
      assert.equal(await checkQuota(ctx, dir, 1, 1), false);
      assert.equal((await readMaildirsize(dir))?.bytes, 500, 'file untouched');
      const old = new Date(Date.now() - 16 * 60 * 1000);
      await utimes(join(dir, 'maildirsize'), old, old);
      assert.equal(await checkQuota(ctx, dir, 1, 1), true);
      assert.equal((await readMaildirsize(dir))?.bytes, 0);
    } finally {
      await cleanup();
    }
  });
});
