import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixturesDir } from '../../../support/paths.js';

/**
 * The corpus' x.expected files must still be what the installed Courier imapd answers
 * (re-run generate-expected.py when Courier or a fixture changes). Skipped without Courier.
 */
const script = join(fixturesDir, 'imapd', 'mime', 'generate-expected.py');
const haveCourier = existsSync('/usr/bin/imapd') && spawnSync('python3', ['--version']).status === 0;

test('MIME corpus goldens match the real Courier', {
  skip: !haveCourier && 'courier-imap not installed',
}, () => {
  const r = spawnSync('python3', [script, '--check'], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  assert.match(r.stdout, /all \d+ expected files match Courier/);
});
