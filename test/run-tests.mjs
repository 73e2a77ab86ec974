#!/usr/bin/env node
// Runs the compiled tests (test/dist/**/*.test.js) with Node's built-in runner.
// Usage: node test/run-tests.mjs [unit|integration|compat ...]   (default: all)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'test', 'dist');
const areas = process.argv.slice(2);

function walk(dir, out) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const files = walk(dist, []).filter((f) => {
  if (areas.length === 0) return true;
  const rel = relative(dist, f);
  return areas.some((a) => rel.startsWith(`${a}/`) || rel === a || rel.startsWith(a));
});
if (files.length === 0) {
  console.error('run-tests: no compiled test files found; run `npx tsc -b` first');
  process.exit(1);
}
const concurrency = process.env.TEST_CONCURRENCY ?? '2';
const r = spawnSync(
  process.execPath,
  ['--test', `--test-concurrency=${concurrency}`, '--test-reporter=tap', ...files],
  { stdio: 'inherit', cwd: root },
);
process.exit(r.status ?? 1);
