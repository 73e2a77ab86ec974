// Per-message keyword update files (courierimapkeywords/<basename>): same bytes as Courier's imapd.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { openMaildir } from '@courier-ts/maildir';
import { put, tempDir } from '../../unit/maildir/helpers.js';
import { COURIER_MAILDIRMAKE, courierImap, courierMissing, run } from './support/courier.js';

const skip = courierMissing();
const NAMES = ['1700000001.M1P1.q', '1700000002.M2P1.q', '1700000003.M3P1.q'];

describe('keyword update files vs Courier imapd', { skip }, () => {
  test('keywords are written sorted by bytes, whatever order they were added in', async () => {
    const { dir, cleanup } = await tempDir('maildir-kw-');
    try {
      const theirs = join(dir, 'theirs');
      const ours = join(dir, 'ours');
      for (const p of [theirs, ours]) {
        assert.equal((await run(COURIER_MAILDIRMAKE, [p], '', { PATH: '/usr/bin:/bin' })).code, 0);
        for (const n of NAMES) await put(p, 'cur', `${n}:2,S`, 'Subject: k\n\nx\n');
      }
      const out = await courierImap(theirs, [
        'SELECT INBOX',
        'STORE 1 +FLAGS (zeta apple Zed $x Beta b10 b9 _u)',
        'STORE 2 +FLAGS (zzz)',
        'STORE 2 +FLAGS (aaa)',
        'STORE 3 +FLAGS (mid zeta)',
        'STORE 3 -FLAGS (zeta)',
        'STORE 3 +FLAGS (Alpha)',
      ]);
      assert.doesNotMatch(out, /^c\d+ (NO|BAD)/m, out);
      const md = await openMaildir(ours);
      const f = await md.openFolder('INBOX');
      const [m1, m2, m3] = f.messages;
      await f.setFlags([m1!], 'add', [], ['zeta', 'apple', 'Zed', '$x', 'Beta', 'b10', 'b9', '_u']);
      await f.setFlags([m2!], 'add', [], ['zzz']);
      await f.setFlags([m2!], 'add', [], ['aaa']);
      await f.setFlags([m3!], 'add', [], ['mid', 'zeta']);
      await f.setFlags([m3!], 'remove', [], ['zeta']);
      await f.setFlags([m3!], 'add', [], ['Alpha']);
      for (const n of NAMES) {
        const want = await readFile(join(theirs, 'courierimapkeywords', n));
        assert.ok(want.length > 0, n);
        assert.deepEqual(await readFile(join(ours, 'courierimapkeywords', n)), want, n);
      }
      await f.close();
    } finally {
      await cleanup();
    }
  });
});
