// The sampling loop around IdleCollector (process/idle-gc.ts), in the listening process and the
// session workers: it collects once quiet with a grown heap and says so; processGc() gives a gc()
// to a process started without --expose-gc.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../../support/paths.js';

const moduleUrl = pathToFileURL(join(repoRoot, 'packages', 'runtime', 'dist', 'process', 'idle-gc.js')).href;
const { collectWhenIdle } = (await import(
  moduleUrl
)) as typeof import('../../../packages/runtime/src/process/idle-gc.js');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('collects once the process has been quiet long enough with a grown heap, and says so', async () => {
  let collections = 0;
  const said: string[] = [];
  const samples: number[] = [];
  const stop = collectWhenIdle({
    everyMs: 20,
    who: 'idle test process',
    baseline: 0,
    collector: { quietMs: 100, growthBytes: 1, quietElu: 1.01 },
    gc: () => collections++,
    collected: (text) => said.push(text),
    onSample: (elu) => samples.push(elu),
  });
  try {
    for (let i = 0; i < 100 && collections === 0; i++) await sleep(20);
    assert.ok(collections >= 1, 'collected');
    assert.match(said[0] ?? '', /^idle test process collected its garbage: heap \d+\.\d -> \d+\.\d MB$/);
    assert.ok(samples.length >= 5 && samples.every((e) => e >= 0 && e <= 1), `${samples}`);
  } finally {
    stop();
  }
});

test('a busy process does not collect', async () => {
  let collections = 0;
  const stop = collectWhenIdle({
    everyMs: 20,
    who: 'busy',
    baseline: 0,
    // Every sample counts as busy (utilisation is never under -1).
    collector: { quietMs: 40, growthBytes: 1, quietElu: -1 },
    gc: () => collections++,
    collected: () => {},
  });
  await sleep(300);
  stop();
  assert.equal(collections, 0);
});

test('processGc() works in a process started without --expose-gc', () => {
  const out = execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const { processGc } = await import(${JSON.stringify(moduleUrl)});
       const before = typeof globalThis.gc;
       const gc = processGc(); gc();
       console.log(before, typeof gc);`,
    ],
    { encoding: 'utf8' },
  );
  assert.equal(out.trim(), 'undefined function');
});
