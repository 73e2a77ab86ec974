// Our maildirmake against Courier's: same trees (names, types, modes, contents), same maildirsize,
// same messages and exit codes, after the same operations.
import assert from 'node:assert/strict';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { binDir } from '../../support/paths.js';
import { tempDir } from '../../unit/maildir/helpers.js';
import { COURIER_MAILDIRMAKE, courierMissing, run } from './support/courier.js';

const skip = courierMissing();
const OURS = join(binDir, 'maildirmake');

async function tree(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (p: string): Promise<void> => {
    const st = await lstat(p);
    const rel = relative(root, p) || '.';
    let content = '';
    if (st.isFile()) content = (await readFile(p, 'utf8')).replace(/\d{9,}/g, 'T');
    out.push(
      `${rel} ${(st.mode & 0o7777).toString(8)} ${st.isDirectory() ? 'd' : 'f'} ${JSON.stringify(content)}`,
    );
    if (st.isDirectory()) for (const n of (await readdir(p)).sort()) await walk(join(p, n));
  };
  await walk(root);
  return out.sort();
}

const STEPS: ReadonlyArray<readonly string[]> = [
  ['M'],
  ['M'],
  ['-f', 'Sent', 'M'],
  ['-f', 'Sent', 'M'],
  ['-fDrafts', 'M'],
  ['-q', '1000000S,100C', 'M'],
  ['-f', '.bad', 'M'],
  ['-S', 'S'],
  ['-s', 'write', '-f', 'Pub', 'S'],
  ['-s', 'read', '-f', 'Ro', 'S'],
  ['-s', 'read,group', '-f', 'Grp', 'S'],
  ['-s', 'write', 'S'],
  ['--add', 'nick=/tmp', 'M'],
  ['--add', 'nick=/tmp', 'M'],
  ['--add', 'other=/tmp', 'M'],
  ['--add', 'bad.name=/tmp', 'M'],
  ['--add', 'rel=tmp', 'M'],
  ['--del', 'nick', 'M'],
  ['--del', 'nick', 'M'],
  ['-q', '5000S', 'Q'],
  ['-x', 'M'],
  [],
  ['nonexistent/dir/M'],
];

describe("maildirmake vs Courier's", { skip }, () => {
  test('same exit codes, messages, trees and maildirsize', async () => {
    const { dir, cleanup } = await tempDir('maildirmake-cmp-');
    try {
      const ours = join(dir, 'ours');
      const theirs = join(dir, 'theirs');
      await run('/bin/mkdir', [ours, theirs], '', { PATH: '/usr/bin:/bin' });
      for (const args of STEPS) {
        const a = await run(COURIER_MAILDIRMAKE, args, '', { PATH: '/usr/bin:/bin' }, theirs);
        const b = await run(process.execPath, [OURS, ...args], '', { PATH: '/usr/bin:/bin' }, ours);
        assert.deepEqual(
          { code: b.code, out: b.stdout, err: b.stderr },
          { code: a.code, out: a.stdout, err: a.stderr },
          `maildirmake ${args.join(' ')}`,
        );
      }
      assert.deepEqual(await tree(ours), await tree(theirs));
    } finally {
      await cleanup();
    }
  });
});
