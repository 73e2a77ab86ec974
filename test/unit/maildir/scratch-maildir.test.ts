// The warm-up's scratch maildir: the messages it promises (the larger ones after the others, in
// cur/), gone after dispose(); and the leftovers of a process that died during its warm-up are
// swept away by the next one, while those of a live process stay.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { createScratchMaildir } from '@courier-ts/maildir';

// A temporary directory of this file's own (other servers' spares use the shared one meanwhile).
const privateTmp = mkdtempSync(join(tmpdir(), 'scratch-test-'));
process.env.TMPDIR = privateTmp;
after(() => rmSync(privateTmp, { recursive: true, force: true }));

/** A pid no process has now (a child that has exited). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(r.stdout);
}

describe('scratch maildir', () => {
  test('count messages, then the larger ones in cur/; removed by dispose()', async () => {
    const s = await createScratchMaildir(20, { large: true });
    assert.equal(s.messages, 27);
    const cur = await readdir(join(s.path, 'cur'));
    const fresh = await readdir(join(s.path, 'new'));
    assert.equal(cur.length + fresh.length, 27);
    assert.equal(fresh.length, 3);
    const sizes = await Promise.all(cur.map(async (n) => (await stat(join(s.path, 'cur', n))).size));
    assert.ok(
      sizes.some((n) => n > 1_000_000),
      'one over a megabyte',
    );
    assert.equal(sizes.filter((n) => n > 10_000).length, 7);
    await s.dispose();
    assert.deepEqual(await readdir(privateTmp), []);
    const plain = await createScratchMaildir(5);
    assert.equal(plain.messages, 5);
    await plain.dispose();
  });

  test('leftovers of a dead process are swept; a live process keeps its own', async () => {
    const dead = join(privateTmp, `courier-ts-warm-up-${deadPid()}-AbCdEf`);
    const live = join(privateTmp, `courier-ts-warm-up-${process.ppid}-GhIjKl`);
    const other = join(privateTmp, 'courier-ts-warm-up-notapid');
    for (const d of [dead, live, other]) mkdirSync(join(d, 'cur'), { recursive: true });
    const s = await createScratchMaildir(1);
    const left = await readdir(privateTmp);
    assert.ok(!left.includes(dead.slice(privateTmp.length + 1)), 'the dead one is gone');
    assert.ok(left.includes(live.slice(privateTmp.length + 1)), 'the live one stays');
    assert.ok(left.includes('courier-ts-warm-up-notapid'), 'not ours to judge: left alone');
    assert.ok(s.path.startsWith(join(privateTmp, `courier-ts-warm-up-${process.pid}-`)));
    await s.dispose();
  });
});
