// CREATE / DELETE / RENAME by us and by Courier's imapd leave the same files behind.
import assert from 'node:assert/strict';
import { lstat, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { type Maildir, openMaildir } from '@courier-ts/maildir';
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

  test('courierimapacl / courierimaphieracl after CREATE, SETACL, CREATE over a hierarchy entry, DELETE, RENAME', async () => {
    const { dir, cleanup } = await tempDir('maildir-acl-');
    try {
      const theirs = join(dir, 'theirs');
      const ours = join(dir, 'ours');
      for (const p of [theirs, ours])
        assert.equal((await run(COURIER_MAILDIRMAKE, [p], '', { PATH: '/usr/bin:/bin' })).code, 0);
      // The SETACL results, written into both trees as Courier writes them (SETACL is imapd's job).
      const setAcl = async (root: string, folderDir: string, extra: string): Promise<void> =>
        writeFile(
          join(root, folderDir, 'courierimapacl'),
          `owner aceilrstwx\nadministrators aceilrstwx\n${extra}`,
        );
      const stale = 'owner aceilrstwx\nanyone lrswi\n';
      for (const root of [theirs, ours]) {
        await mkdir(join(root, 'courierimaphieracl'), { mode: 0o755 });
        await writeFile(join(root, 'courierimaphieracl', 'Lone'), stale); // no child folder: left alone
      }
      const steps: Array<[string, (md: Maildir) => Promise<void>]> = [
        ['CREATE INBOX.a', (md) => md.createFolder('INBOX.a')],
        ['CREATE INBOX.a.b.c', (md) => md.createFolder('INBOX.a.b.c')],
        ['CREATE INBOX.a.b', (md) => md.createFolder('INBOX.a.b')],
        ['CREATE INBOX.Lone', (md) => md.createFolder('INBOX.Lone')],
        ['CREATE INBOX.x.R&AOk-sum&AOk-', (md) => md.createFolder('INBOX.x.Résumé')],
        ['CREATE INBOX.R&AOk-sum&AOk-', (md) => md.createFolder('INBOX.Résumé')],
        ['CREATE INBOX.R&AOk-sum&AOk-.sub', (md) => md.createFolder('INBOX.Résumé.sub')],
        ['DELETE INBOX.a.b', (md) => md.deleteFolder('INBOX.a.b')],
        ['RENAME INBOX.a INBOX.q', (md) => md.renameFolder('INBOX.a', 'INBOX.q')],
        ['DELETE INBOX.q', (md) => md.deleteFolder('INBOX.q')],
      ];
      const md = await openMaildir(ours);
      for (const [i, [command, ours_]] of steps.entries()) {
        if (i === 1) for (const root of [theirs, ours]) await setAcl(root, '.a', 'anyone lr\n');
        if (i === 5) for (const root of [theirs, ours]) await setAcl(root, '.a.b', 'anyone lrw\n');
        const out = await courierImap(theirs, [command]);
        assert.match(out, /^c1 OK/m, out);
        await ours_(md);
        const acls = (t: string[]) => t.filter((l) => /courierimap(hier)?acl/.test(l));
        assert.deepEqual(acls(await tree(ours)), acls(await tree(theirs)), `after ${command}`);
      }
      assert.deepEqual(await tree(ours), await tree(theirs));
    } finally {
      await cleanup();
    }
  });

  test("readAcl saves inherited ACLs where Courier's LIST / LSUB do (folder, or courierimaphieracl/)", async () => {
    const { dir, cleanup } = await tempDir('maildir-acl-');
    try {
      const theirs = join(dir, 'theirs');
      const ours = join(dir, 'ours');
      for (const p of [theirs, ours])
        assert.equal((await run(COURIER_MAILDIRMAKE, [p], '', { PATH: '/usr/bin:/bin' })).code, 0);
      const md = await openMaildir(ours);
      await courierImap(theirs, ['CREATE INBOX.R&AOk-sum&AOk-', 'SUBSCRIBE INBOX.Gone']);
      await md.createFolder('INBOX.Résumé');
      await md.subscribe('INBOX.Gone');
      const before = await tree(ours);
      assert.deepEqual(before, await tree(theirs));
      await courierImap(theirs, ['LIST "" "*"', 'LSUB "" "*"']);
      assert.equal(await md.readAcl('INBOX.Résumé'), 'owner aceilrstwx\nadministrators aceilrstwx\n');
      assert.equal(await md.readAcl('INBOX.Gone'), 'owner aceilrstwx\nadministrators aceilrstwx\n');
      const after = await tree(ours);
      assert.notDeepEqual(after, before);
      assert.deepEqual(after, await tree(theirs));
    } finally {
      await cleanup();
    }
  });
});
