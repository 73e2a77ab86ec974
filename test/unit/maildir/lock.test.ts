import assert from 'node:assert/strict';
import { readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { TemporarilyUnavailableError } from '@courier-ts/maildir';
import { resolveContext, withMaildirLock } from '@courier-ts/maildir/internals';
import { makeMaildir, tempDir } from './helpers.js';

describe('tmp/courier.lock (Courier-compatible dot-lock)', () => {
  test('held while fn runs, contains <pid>:<host>, removed after; serialises callers', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await makeMaildir(dir);
      const ctx = resolveContext(dir, {});
      const order: string[] = [];
      let holding!: () => void;
      const aHolds = new Promise<void>((r) => {
        holding = r;
      });
      const a = withMaildirLock(ctx, dir, async () => {
        assert.equal(
          await readFile(join(dir, 'tmp', 'courier.lock'), 'utf8'),
          `${process.pid}:${hostname()}`,
        );
        order.push('a-start');
        holding();
        await new Promise((r) => setTimeout(r, 50));
        order.push('a-end');
      });
      // b asks for the lock while a holds it, so b must wait for a to finish.
      await aHolds;
      const b = withMaildirLock(ctx, dir, async () => {
        order.push('b');
      });
      await Promise.all([a, b]);
      assert.deepEqual(order, ['a-start', 'a-end', 'b']);
      assert.deepEqual(await readdir(join(dir, 'tmp')), []);
    } finally {
      await cleanup();
    }
  });

  test('a lock of a dead process on this host is broken at once; an old one after 120 s', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await makeMaildir(dir);
      const ctx = resolveContext(dir, {});
      await writeFile(join(dir, 'tmp', 'courier.lock'), `999999999:${hostname()}`);
      assert.equal(await withMaildirLock(ctx, dir, async () => 'ran', { timeoutMs: 1000 }), 'ran');
      await writeFile(join(dir, 'tmp', 'courier.lock'), '1:some-other-host');
      await assert.rejects(
        withMaildirLock(ctx, dir, async () => 'x', { timeoutMs: 200 }),
        TemporarilyUnavailableError,
      );
      const old = new Date(Date.now() - 121_000);
      await utimes(join(dir, 'tmp', 'courier.lock'), old, old);
      assert.equal(await withMaildirLock(ctx, dir, async () => 'ran', { timeoutMs: 1000 }), 'ran');
    } finally {
      await cleanup();
    }
  });
  test('callers of one process queue in memory: a waiter never touches the dot-lock while another holds it', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await makeMaildir(dir);
      const ctx = resolveContext(dir, {});
      const lockPath = join(dir, 'tmp', 'courier.lock');
      const order: string[] = [];
      let bEntered!: () => void;
      const bIn = new Promise<void>((r) => {
        bEntered = r;
      });
      let aHolding!: () => void;
      const aHolds = new Promise<void>((r) => {
        aHolding = r;
      });
      const a = withMaildirLock(ctx, dir, async () => {
        order.push('a-start');
        aHolding();
        // The dot-lock now names a dead process of this host: a caller polling the file would
        // break it and run alongside a; one queued in this process waits for a's turn to end.
        await writeFile(lockPath, `2147483646:${hostname()}`);
        await Promise.race([bIn, new Promise((r) => setTimeout(r, 500))]);
        order.push('a-end');
      });
      await aHolds;
      const b = withMaildirLock(ctx, dir, async () => {
        order.push('b');
        bEntered();
      });
      const c = withMaildirLock(ctx, dir, async () => {
        order.push('c');
      });
      await Promise.all([a, b, c]);
      assert.deepEqual(order, ['a-start', 'a-end', 'b', 'c']);
    } finally {
      await cleanup();
    }
  });
});
