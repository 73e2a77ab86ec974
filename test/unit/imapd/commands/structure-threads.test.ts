// ScanThreadPool (commands/fetch/structure-threads.ts): real scan threads on real message files.
// A thread's results are the entries the scanner makes in this thread; threads are reused from
// job to job, kept to the limit, ended after their idle time (and then no longer used), and a
// closed pool rejects the jobs in hand. A pool left with threads never keeps a process alive.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { MimeScanner } from '@courier-ts/imapd';
import type * as ThreadsModule from '../../../../packages/imapd/dist/commands/fetch/structure-threads.js';
// Not part of the package's public API: loaded from the build by path (types from its .d.ts).
import type * as EntryModule from '../../../../packages/imapd/dist/message/structure-entry.js';
import { fixturesDir, repoRoot } from '../../../support/paths.js';
import { makeTempDir, type TempDir } from '../../../support/tmp.js';

const dist = join(repoRoot, 'packages', 'imapd', 'dist');
const threadsUrl = pathToFileURL(join(dist, 'commands', 'fetch', 'structure-threads.js')).href;
const { ScanThreadPool, warmScanThreads } = (await import(threadsUrl)) as typeof ThreadsModule;
const { formatStructureEntry } = (await import(
  pathToFileURL(join(dist, 'message', 'structure-entry.js')).href
)) as typeof EntryModule;

const MIME = join(fixturesDir, 'imapd', 'mime');
let dir: TempDir;
let files: string[] = [];

before(async () => {
  dir = await makeTempDir('courier-ts-scan-threads-');
  const names = (await readdir(MIME)).filter((f) => f.endsWith('.eml')).sort();
  for (const n of names) await copyFile(join(MIME, n), join(dir.path, n));
  files = names.map((n) => join(dir.path, n));
});
after(() => dir.dispose());

/** The entry this thread makes of `path` (as stored: every LF served as CR LF). */
async function expected(path: string): Promise<Buffer> {
  const s = new MimeScanner({ lineEnds: 'courier' });
  s.push(await readFile(path));
  return formatStructureEntry(s.finish());
}

/** Polls `check` until it holds (bounded in count; no timing is asserted). */
async function eventually(check: () => boolean): Promise<boolean> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  return check();
}

describe('ScanThreadPool', () => {
  test('a thread scans files as this thread does; unreadable files give null', async () => {
    const pool = new ScanThreadPool({ max: 2 });
    try {
      const t = pool.start();
      assert.ok(t);
      const job = [
        ...files.map((path) => ({ path, servedSize: Number.NaN })),
        { path: join(dir.path, 'none'), servedSize: Number.NaN },
      ];
      const done = await pool.scan(t, job);
      assert.equal(done.results.length, job.length);
      assert.equal(done.results.at(-1), null);
      const data = Buffer.from(done.data.buffer, done.data.byteOffset, done.data.byteLength);
      for (let i = 0; i < files.length; i++) {
        const r = done.results[i];
        assert.ok(r, files[i]);
        assert.deepEqual(data.subarray(r[0], r[0] + r[1]), await expected(files[i]!), files[i]);
        assert.equal(r[2], (await readFile(files[i]!)).length);
      }
      // A served size that does not match refuses the scan.
      const wrong = await pool.scan(t, [{ path: files[0]!, servedSize: 1 }]);
      assert.equal(wrong.results[0], null);
      assert.equal(t.inHand, 0);
    } finally {
      await pool.close();
    }
  });

  test('threads are kept for later jobs, up to the limit', async () => {
    const pool = new ScanThreadPool({ max: 2 });
    try {
      const a = pool.start();
      const b = pool.start();
      assert.ok(a && b && a !== b);
      assert.equal(pool.start(), undefined, 'no third thread');
      const jobs = [pool.scan(a, [{ path: files[0]!, servedSize: Number.NaN }])];
      assert.equal(a.inHand, 1);
      jobs.push(pool.scan(b, [{ path: files[1]!, servedSize: Number.NaN }]));
      await Promise.all(jobs);
      assert.deepEqual(pool.threads, [a, b]);
      const again = await pool.scan(a, [{ path: files[2]!, servedSize: Number.NaN }]);
      assert.ok(again.results[0]);
    } finally {
      await pool.close();
    }
    assert.equal(pool.threads.length, 0);
  });

  test('an idle thread is ended, and then refuses jobs', async () => {
    const pool = new ScanThreadPool({ max: 1, idleMs: 50 });
    const t = pool.start();
    assert.ok(t);
    await pool.scan(t, [{ path: files[0]!, servedSize: Number.NaN }]);
    assert.ok(await eventually(() => pool.threads.length === 0), 'the idle thread ended');
    await assert.rejects(pool.scan(t, [{ path: files[0]!, servedSize: Number.NaN }]));
    assert.ok(pool.start(), 'a new one can start');
    await pool.close();
  });

  test('keepUntil() keeps idle threads until its signal, then they end', async () => {
    const pool = new ScanThreadPool({ max: 2, idleMs: 20, graceMs: 50 });
    try {
      const t = pool.start();
      assert.ok(t);
      await pool.scan(t, [{ path: files[0]!, servedSize: Number.NaN }]);
      const claimed = new AbortController();
      pool.keepUntil(claimed.signal);
      const u = pool.start();
      assert.ok(u, 'a thread started meanwhile is kept too');
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(pool.threads, [t, u], 'both kept, well past their idle time');
      assert.ok((await pool.scan(t, [{ path: files[1]!, servedSize: Number.NaN }])).results[0]);
      claimed.abort();
      assert.ok(await eventually(() => pool.threads.length === 0), 'ended once released');
      // An aborted signal keeps nothing.
      pool.keepUntil(claimed.signal);
      const v = pool.start();
      assert.ok(v);
      assert.ok(await eventually(() => pool.threads.length === 0));
    } finally {
      await pool.close();
    }
  });

  test('close() rejects the jobs in hand', async () => {
    const pool = new ScanThreadPool({ max: 1 });
    const t = pool.start();
    assert.ok(t);
    const job = pool.scan(
      t,
      Array.from({ length: 200 }, (_, i) => ({ path: files[i % files.length]!, servedSize: Number.NaN })),
    );
    const rejected = assert.rejects(job);
    await pool.close();
    await rejected;
    assert.equal(pool.threads.length, 0);
  });

  test('warmScanThreads() leaves the threads asked for, having scanned; none when stopped first', async () => {
    const pool = new ScanThreadPool({ max: 2 });
    const jobs = files.map((path) => ({ path, servedSize: Number.NaN }));
    try {
      const stopped = new AbortController();
      stopped.abort();
      await warmScanThreads(pool, jobs, 3, 1, stopped.signal);
      assert.equal(pool.threads.length, 0, 'stopped: no thread started');
      await warmScanThreads(pool, jobs, 2, 1, new AbortController().signal);
      assert.equal(pool.threads.length, 1, 'started');
      const t = pool.threads[0]!;
      await warmScanThreads(pool, jobs, 1, 1, new AbortController().signal);
      assert.deepEqual(pool.threads, [t], 'the same thread, warmed again');
      assert.equal(t.inHand, 0);
      // Unreadable files end nothing.
      await warmScanThreads(
        pool,
        [{ path: join(dir.path, 'none'), servedSize: Number.NaN }],
        1,
        1,
        new AbortController().signal,
      );
      assert.deepEqual(pool.threads, [t]);
      // Two asked for: the running one and a new one, both warmed side by side.
      await warmScanThreads(pool, jobs, 1, 2, new AbortController().signal);
      assert.equal(pool.threads.length, 2);
      assert.equal(pool.threads[0], t);
      for (const th of pool.threads) assert.equal(th.inHand, 0);
    } finally {
      await pool.close();
    }
    // A closed pool's thread: the warm-up just ends.
    await warmScanThreads(pool, jobs, 1, 1, new AbortController().signal);
    await pool.close();
  });

  test('a process whose pool still has a thread exits on its own', async () => {
    const script = `
      const { ScanThreadPool } = await import(${JSON.stringify(threadsUrl)});
      const pool = new ScanThreadPool({ idleMs: 600000 });
      const t = pool.start();
      const done = await pool.scan(t, [{ path: ${JSON.stringify(files[0])}, servedSize: NaN }]);
      process.stdout.write(String(done.results.length) + ' ' + String(pool.threads.length));
    `;
    const file = join(dir.path, 'pool-exit.mjs');
    await writeFile(file, script);
    const { stdout } = await promisify(execFile)(process.execPath, [file], { timeout: 60_000 });
    assert.equal(stdout, '1 1', 'scanned, and exited with the thread still in the pool');
  });
});
