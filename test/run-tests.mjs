#!/usr/bin/env node
// Runs the compiled tests (test/dist/**/*.test.js) with Node's built-in runner; the run ends with the
// runner's `# tests / # pass / # fail` summary.
// Usage: node test/run-tests.mjs [unit|integration|compat|unit/imapd ...]   (default: all)
// Env: TEST_CONCURRENCY (files in parallel, default 2), TEST_TIMEOUT_MS (per test, default 300000),
//      COMPAT_RECORD=1 (re-record compat expectations from the real Courier), COMPAT_ONLY=<scenario>.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'test', 'dist');
const areas = process.argv.slice(2);

function walk(dir, out) {
  if (!existsSync(dir)) return out;
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

// Say up front what decides skips, so a skipped test is never mistaken for a pass.
const root0 = process.getuid?.() === 0;
const courier = existsSync('/usr/bin/imapd') && existsSync('/usr/lib/courier/courier/courierpop3d');
console.log(
  `# run-tests: ${files.length} files; ${root0 ? 'root' : 'not root (real-Courier network tests skip)'}; ` +
    `real Courier ${courier ? 'installed' : 'NOT installed (compat tests against Courier skip)'}`,
);

const concurrency = process.env.TEST_CONCURRENCY ?? '2';
const timeout = process.env.TEST_TIMEOUT_MS ?? '300000';
const r = spawnSync(
  process.execPath,
  [
    '--test',
    `--test-concurrency=${concurrency}`,
    `--test-timeout=${timeout}`,
    '--test-reporter=tap',
    ...files,
  ],
  { stdio: 'inherit', cwd: root },
);
process.exit(r.status ?? 1);
