// When a session worker collects its garbage itself (V8's memory reducer is off in workers):
// IdleCollector, driven sample by sample.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../../support/paths.js';

const { IdleCollector } = (await import(
  pathToFileURL(join(repoRoot, 'packages', 'runtime', 'dist', 'privilege', 'idle-collector.js')).href
)) as typeof import('../../../packages/runtime/src/privilege/idle-collector.js');

const MB = 1024 * 1024;
const opts = { quietMs: 60_000, growthBytes: 8 * MB, quietElu: 0.01 };

test('collects once quiet for the whole quiet time with a grown heap, then not again until it grows', () => {
  const c = new IdleCollector(20 * MB, opts);
  assert.equal(c.sample(0, 0.001, 40 * MB), false, 'quiet from now on');
  assert.equal(c.sample(59_999, 0.001, 40 * MB), false, 'not quiet long enough');
  assert.equal(c.sample(60_000, 0.001, 40 * MB), true);
  c.collected(21 * MB);
  for (let t = 60_500; t < 400_000; t += 500)
    assert.equal(c.sample(t, 0, 25 * MB), false, `at ${t}: grew by 4 MB only`);
  assert.equal(c.sample(400_000, 0, 29 * MB), true, 'grew by 8 MB since the collection');
});

test('a busy sample starts the quiet time again', () => {
  const c = new IdleCollector(0, opts);
  c.sample(0, 0, 100 * MB);
  assert.equal(c.sample(50_000, 0.2, 100 * MB), false);
  assert.equal(c.sample(60_000, 0, 100 * MB), false, 'quiet for 0 s');
  assert.equal(c.sample(119_999, 0, 100 * MB), false);
  assert.equal(c.sample(120_000, 0, 100 * MB), true);
});

test('started from 0 (as a worker starts it): the first quiet time collects whatever the heap holds', () => {
  const c = new IdleCollector(0, opts);
  c.sample(0, 0, 40 * MB);
  assert.equal(c.sample(60_000, 0, 40 * MB), true);
  c.collected(12 * MB);
  c.sample(60_500, 0, 19 * MB);
  assert.equal(c.sample(200_000, 0, 19 * MB), false, 'then 8 MB of growth again');
  assert.equal(c.sample(200_500, 0, 20 * MB), true);
});

test('a quiet worker whose heap did not grow is left alone', () => {
  const c = new IdleCollector(30 * MB, opts);
  for (let t = 0; t <= 600_000; t += 500) assert.equal(c.sample(t, 0, 37 * MB), false);
});

test('the utilisation threshold is a strict bound', () => {
  const c = new IdleCollector(0, opts);
  c.sample(0, 0.009, 9 * MB);
  assert.equal(c.sample(60_000, 0.009, 9 * MB), true);
  const d = new IdleCollector(0, opts);
  d.sample(0, 0.01, 9 * MB);
  assert.equal(d.sample(60_000, 0.01, 9 * MB), false);
});
