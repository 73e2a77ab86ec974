// CREATE / DELETE / RENAME by us and by Courier's imapd leave the same files behind.
import assert from 'node:assert/strict';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { openMaildir } from '@courier-ts/maildir';
import { tempDir } from '../../unit/maildir/helpers.js';
import { COURIER_MAILDIRMAKE, courierImap, courierMissing, run } from './support/courier.js';

const skip = courierMissing();

async function tree(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (p: string): Promise<void> => {
    const st = await lstat(p);
    const rel = relative(root, p) || '.';
    let content = '';
    if (st.isFile()) content = (await readFile(p, 'utf8')).replace(/\d{9,}/g, 'T');
    out.push(`${rel} ${(st.mode & 0o7777).toString(8)} ${JSON.stringify(content)}`);
    if (st.isDirectory()) for (const n of (await readdir(p)).sort()) await walk(join(p, n));
  };
  await walk(root);
  return out.sort();
}

describe('folder operations vs Courier imapd', { skip }, () => {
  test('same tree after CREATE (with a missing parent level), RENAME with children, DELETE', async () => {
    const { dir, cleanup } = await tempDir('maildir-create-');
    try {
      const theirs = join(dir, 'theirs');
      const ours = join(dir, 'ours');
      for (const p of [theirs, ours])
        assert.equal((await run(COURIER_MAILDIRMAKE, [p], '', { PATH: '/usr/bin:/bin' })).code, 0);
      const out = await courierImap(theirs, [
        'CREATE INBOX.Foo.Bar',
        'CREATE INBOX.Work',
        'CREATE INBOX.Work.Old',
        'RENAME INBOX.Work INBOX.Job',
        'CREATE INBOX.Gone',
        'DELETE INBOX.Gone',
        'SUBSCRIBE INBOX.Job',
      ]);
      assert.doesNotMatch(out, /^c\d+ (NO|BAD)/m, out);
      const md = await openMaildir(ours);
      await md.createFolder('INBOX.Foo.Bar');
      await md.createFolder('INBOX.Work');
      await md.createFolder('INBOX.Work.Old');
      await md.renameFolder('INBOX.Work', 'INBOX.Job');
      await md.createFolder('INBOX.Gone');
      await md.deleteFolder('INBOX.Gone');
      await md.subscribe('INBOX.Job');
      // Courier's imapd also creates courierimapkeywords/ in the root when it scans INBOX at login.
      const norm = (t: string[]) => t.filter((l) => !l.startsWith('courierimapkeywords '));
      assert.deepEqual(norm(await tree(ours)), norm(await tree(theirs)));
    } finally {
      await cleanup();
    }
  });
});
