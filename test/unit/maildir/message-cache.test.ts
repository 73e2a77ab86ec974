import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  appendMessageCache,
  type CacheRecord,
  MessageCacheReader,
  rewriteMessageCache,
  STRUCTURE_CACHE_FILE,
} from '@courier-ts/maildir';
import { repoRoot } from '../../support/paths.js';
import { makeMaildir, tempDir } from './helpers.js';

let root: { dir: string; cleanup: () => Promise<void> };
let n = 0;
before(async () => {
  root = await tempDir('message-cache-');
});
after(() => root.cleanup());

async function folder(): Promise<string> {
  const dir = join(root.dir, `f${n++}`);
  await makeMaildir(dir);
  return dir;
}

function rec(i: number, size = 100 + i): CacheRecord {
  return {
    key: `17000000${i}.M${i}P1.host,S=${size}`,
    size,
    value: Buffer.from(`value of ${i} `.repeat(1 + (i % 5))),
  };
}

async function readAll(dir: string, keys: readonly string[], sizes?: readonly number[]) {
  const r = new MessageCacheReader(dir, new Set(keys));
  const got = await Promise.all(keys.map((k, i) => r.get(k, sizes?.[i] ?? Number.NaN)));
  const stats = r.stats;
  await r.close();
  return { got, stats };
}

describe('message cache (courier-ts.structure)', () => {
  test('no file: every lookup misses, nothing is created', async () => {
    const dir = await folder();
    const { got, stats } = await readAll(dir, [rec(1).key]);
    assert.deepEqual(got, [undefined]);
    assert.equal(stats.damaged, false);
    await assert.rejects(stat(join(dir, STRUCTURE_CACHE_FILE)));
  });

  test('appended values come back in any order; size must match when known', async () => {
    const dir = await folder();
    const recs = Array.from({ length: 50 }, (_, i) => rec(i));
    await appendMessageCache(dir, recs.slice(0, 20));
    await appendMessageCache(dir, recs.slice(20));
    const order = [...recs].reverse();
    const { got, stats } = await readAll(
      dir,
      order.map((r) => r.key),
      order.map((r) => r.size),
    );
    assert.deepEqual(
      got.map((b) => b?.toString()),
      order.map((r) => r.value.toString()),
    );
    assert.equal(stats.damaged, false);
    const wrongSize = await readAll(dir, [recs[3]!.key], [999]);
    assert.deepEqual(wrongSize.got, [undefined]);
    const anySize = await readAll(dir, [recs[3]!.key]);
    assert.equal(anySize.got[0]?.toString(), recs[3]!.value.toString());
  });

  test('lookahead is bounded: past the bound a lookup misses, and no entry is lost', async () => {
    const dir = await folder();
    const recs = Array.from({ length: 20 }, (_, i) => rec(i));
    await appendMessageCache(dir, recs);
    const r = new MessageCacheReader(dir, new Set(recs.map((x) => x.key)), { maxLookahead: 100 });
    // Asking for the last first: the reading stops once ~100 bytes are held ahead, a miss.
    assert.equal(await r.get(recs[19]!.key, Number.NaN), undefined);
    // The others, asked in file order, all come (from the lookahead, then from the file).
    const early = await Promise.all(recs.slice(0, 19).map((x) => r.get(x.key, Number.NaN)));
    assert.deepEqual(
      early.map((b) => b?.toString()),
      recs.slice(0, 19).map((x) => x.value.toString()),
    );
    await r.close();
  });

  test('damage: a flipped byte or a cut-off end stops the reading, never throws', async () => {
    const dir = await folder();
    const recs = Array.from({ length: 10 }, (_, i) => rec(i));
    // One append (one checked frame) per record: damage loses the frame it hits and what follows.
    for (const r of recs) await appendMessageCache(dir, [r]);
    const path = join(dir, STRUCTURE_CACHE_FILE);
    const good = await readFile(path);
    const bad = Buffer.from(good);
    bad[Math.floor(good.length * 0.6)]! ^= 0x55;
    await writeFile(path, bad);
    const keys = recs.map((r) => r.key);
    const flipped = await readAll(dir, keys);
    assert.equal(flipped.stats.damaged, true);
    assert.equal(flipped.got[0]?.toString(), recs[0]!.value.toString());
    assert.equal(flipped.got[9], undefined);
    await writeFile(path, good);
    await truncate(path, good.length - 3);
    const cut = await readAll(dir, keys);
    assert.equal(cut.stats.damaged, true);
    assert.equal(cut.got.filter((b) => b !== undefined).length, 9);
    // Junk, and our magic line followed by a frame header claiming 4 GiB (must not be allocated).
    const huge = Buffer.concat([
      good.subarray(0, 27),
      Buffer.from([0xc8, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]),
    ]);
    for (const junk of [huge, '', 'x', 'courier-ts-message-cache 9\n', '\0'.repeat(4096)]) {
      await writeFile(path, junk);
      assert.deepEqual((await readAll(dir, keys.slice(0, 2))).got, [undefined, undefined]);
    }
    // Appending to a file that is not ours replaces it.
    await appendMessageCache(dir, recs.slice(0, 1));
    assert.equal((await readAll(dir, keys.slice(0, 1))).got[0]?.toString(), recs[0]!.value.toString());
  });

  test('rewrite keeps the first readable record of each kept key', async () => {
    const dir = await folder();
    const recs = Array.from({ length: 10 }, (_, i) => rec(i));
    await appendMessageCache(dir, recs.slice(0, 8));
    await appendMessageCache(dir, recs.slice(8));
    await appendMessageCache(dir, recs.slice(0, 5)); // duplicates
    const kept = await rewriteMessageCache(dir, (k) => !k.startsWith('170000003'));
    assert.equal(kept, 9);
    const { got, stats } = await readAll(
      dir,
      recs.map((r) => r.key),
    );
    assert.equal(stats.records, 9);
    assert.equal(got[3], undefined);
    assert.equal(got[4]?.toString(), recs[4]!.value.toString());
    // A damaged file keeps its readable part (the first frame: a rewrite writes one here).
    const path = join(dir, STRUCTURE_CACHE_FILE);
    await appendMessageCache(dir, [rec(20)]);
    const b = await readFile(path);
    await writeFile(path, b.subarray(0, b.length - 5));
    assert.equal(await rewriteMessageCache(dir, () => true), 9);
    assert.equal(
      (
        await readAll(
          dir,
          recs.map((r) => r.key),
        )
      ).stats.damaged,
      false,
    );
    // No file: stays missing.
    const empty = await folder();
    assert.equal(await rewriteMessageCache(empty, () => true), 0);
    await assert.rejects(stat(join(empty, STRUCTURE_CACHE_FILE)));
  });

  test('bounded: appends past maxFileBytes and values past maxValueBytes are dropped', async () => {
    const dir = await folder();
    const recs = Array.from({ length: 30 }, (_, i) => rec(i));
    await appendMessageCache(dir, recs, { maxFileBytes: 600 });
    await appendMessageCache(dir, recs, { maxFileBytes: 600 });
    assert.ok((await stat(join(dir, STRUCTURE_CACHE_FILE))).size <= 600);
    const big = await folder();
    await appendMessageCache(big, [rec(1), { ...rec(2), value: Buffer.alloc(5000) }], {
      maxValueBytes: 4096,
    });
    assert.deepEqual(
      (await readAll(big, [rec(1).key, rec(2).key])).got.map((b) => b !== undefined),
      [true, false],
    );
  });

  test('two processes appending at once (and creating the file): every record readable', async () => {
    const dir = await folder();
    const recs = Array.from({ length: 400 }, (_, i) => rec(i));
    const url = pathToFileURL(join(repoRoot, 'packages', 'maildir', 'dist', 'index.js')).href;
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(url)});
         for (let i = 200; i < 400; i += 10) await m.appendMessageCache(${JSON.stringify(dir)},
           Array.from({ length: 10 }, (_, j) => ({ key: '17000000' + (i + j) + '.M' + (i + j) + 'P1.host,S=' + (100 + i + j),
             size: 100 + i + j, value: Buffer.from(('value of ' + (i + j) + ' ').repeat(1 + ((i + j) % 5))) })));`,
      ],
      { stdio: 'inherit' },
    );
    const exited = new Promise<number | null>((r) => child.on('exit', r));
    for (let i = 0; i < 200; i += 10) await appendMessageCache(dir, recs.slice(i, i + 10));
    assert.equal(await exited, 0);
    const { got, stats } = await readAll(
      dir,
      recs.map((r) => r.key),
    );
    assert.equal(stats.damaged, false);
    assert.deepEqual(
      got.map((b) => b?.toString()),
      recs.map((r) => r.value.toString()),
    );
  });
});
