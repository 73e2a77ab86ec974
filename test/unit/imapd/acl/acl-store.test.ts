// courierimapacl files on disk: parse/format, administrators forced, inheritance (own file, parent,
// courierimaphieracl/, INBOX, default) read through Maildir.readAcl with Courier's save-on-read.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { makeTempDir, type TempDir } from '../../../support/tmp.js';
import { searchModule } from '../search/imapd-internals.js';

type AS = typeof import('../../../../packages/imapd/src/acl/acl-store.js');
const s = await searchModule<AS>('../acl/acl-store');

let tmp: TempDir;
let root: string;
before(async () => {
  tmp = await makeTempDir('courier-ts-acl-');
  root = join(tmp.path, 'Maildir');
  for (const d of ['', '.A', '.A.B', '.C.D', '.E']) {
    for (const sub of ['cur', 'new', 'tmp']) await mkdir(join(root, d, sub), { recursive: true });
  }
  await writeFile(
    join(root, '.A', 'courierimapacl'),
    'owner aceilrstwx\nadministrators aceilrstwx\nanyone lr\n',
  );
  await mkdir(join(root, 'courierimaphieracl'));
  await writeFile(join(root, 'courierimaphieracl', 'C'), 'owner aceilrstwx\nuser=hier r\n');
});
after(() => tmp.dispose());

const show = (e: readonly { identifier: string; rights: string }[]) =>
  e.map((x) => `${x.identifier} ${x.rights}`).join('|');

describe('courierimapacl', () => {
  test('parse keeps file order and the first of duplicates; format is `id rights` lines', () => {
    const e = s.parseAcl('owner aceilrstwx\nuser=bob lrs\n\nbroken\nuser=bob w\nanyone \n');
    assert.equal(show(e), 'owner aceilrstwx|user=bob lrs|anyone ');
    assert.equal(s.formatAcl(e.slice(0, 2)), 'owner aceilrstwx\nuser=bob lrs\n');
  });
  test('administrators is shown with full rights, in place or appended', () => {
    assert.equal(show(s.withAdministrators(s.parseAcl('owner lr\n'))), 'owner lr|administrators aceilrstwx');
    assert.equal(
      show(s.withAdministrators(s.parseAcl('owner lr\nadministrators l\nanyone r\n'))),
      'owner lr|administrators aceilrstwx|anyone r',
    );
  });
  // Reads go through Maildir.readAcl (Courier's walk): a folder without its own file gets the
  // inherited ACL saved into it as it is read (never INBOX).
  const cases: [string, string, string | undefined][] = [
    ['INBOX', 'owner aceilrstwx|administrators aceilrstwx', undefined],
    ['INBOX.A', 'owner aceilrstwx|administrators aceilrstwx|anyone lr', '.A'],
    ['INBOX.A.B', 'owner aceilrstwx|administrators aceilrstwx|anyone lr', '.A.B'],
    ['INBOX.C.D', 'owner aceilrstwx|user=hier r|administrators aceilrstwx', '.C.D'],
    ['INBOX.E', 'owner aceilrstwx|administrators aceilrstwx', '.E'],
  ];
  for (const [name, want, savedIn] of cases) {
    test(`effective ACL of ${name}`, async () => {
      assert.equal(show(await s.readFolderAcl(root, name)), want);
      if (savedIn) assert.equal(existsSync(join(root, savedIn, 'courierimapacl')), true);
      else assert.equal(existsSync(join(root, 'courierimapacl')), false);
    });
  }
  test('an ACL saved on read no longer follows its parent', async () => {
    assert.equal(
      await readFile(join(root, '.A.B', 'courierimapacl'), 'utf8'),
      'owner aceilrstwx\nadministrators aceilrstwx\nanyone lr\n',
    );
    await writeFile(join(root, '.A', 'courierimapacl'), 'owner aceilrstwx\n');
    assert.equal(
      show(await s.readFolderAcl(root, 'INBOX.A.B')),
      'owner aceilrstwx|administrators aceilrstwx|anyone lr',
    );
  });
  test('a name without a directory gets courierimaphieracl/<name>', async () => {
    assert.equal(show(await s.readFolderAcl(root, 'INBOX.Z')), 'owner aceilrstwx|administrators aceilrstwx');
    assert.equal(existsSync(join(root, 'courierimaphieracl', 'Z')), true);
  });
  test('writeFolderAcl replaces the file atomically and leaves nothing in tmp/', async () => {
    await s.writeFolderAcl(root, 'INBOX.E', [{ identifier: 'owner', rights: 'aceilrstwx' }]);
    assert.equal(await readFile(join(root, '.E', 'courierimapacl'), 'utf8'), 'owner aceilrstwx\n');
    const { readdir } = await import('node:fs/promises');
    assert.deepEqual(await readdir(join(root, '.E', 'tmp')), []);
  });
});

type FR = typeof import('../../../../packages/imapd/src/acl/folder-rights.js');
const fr = await searchModule<FR>('../acl/folder-rights');

describe('folderRights / myRightsDisplay', () => {
  test('owner rights from the inherited ACL, user= entries, and the display form', async () => {
    await writeFile(join(root, '.A', 'courierimapacl'), 'owner lr\nuser=bob w\nanyone s\n');
    await mkdir(join(root, '.A.F', 'tmp'), { recursive: true });
    assert.equal(await fr.folderRights(root, 'INBOX.A.F', 'someone'), 'alrs');
    assert.equal(await fr.folderRights(root, 'INBOX.A.F', 'bob'), 'alrsw');
    assert.equal(await fr.myRightsDisplay(root, 'INBOX', 'x'), 'acdilrsw');
    assert.equal(fr.hasRight('alrs', fr.COMMAND_RIGHTS.SELECT), true);
    assert.equal(fr.hasRight('alrs', fr.COMMAND_RIGHTS.APPEND), false);
  });
});
