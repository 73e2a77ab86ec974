// courierimapacl files on disk: parse/format, administrators forced, inheritance (own file, parent,
// courierimaphieracl/, INBOX, default) and Courier's write-on-read for folders without a file.
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
  const cases: [string, string, boolean][] = [
    ['INBOX', 'owner aceilrstwx|administrators aceilrstwx', false],
    ['INBOX.A', 'owner aceilrstwx|administrators aceilrstwx|anyone lr', true],
    ['INBOX.A.B', 'owner aceilrstwx|administrators aceilrstwx|anyone lr', false],
    ['INBOX.C.D', 'owner aceilrstwx|user=hier r|administrators aceilrstwx', false],
    ['INBOX.E', 'owner aceilrstwx|administrators aceilrstwx', false],
  ];
  for (const [name, want, own] of cases) {
    test(`effective ACL of ${name}`, async () => {
      const a = await s.readFolderAcl(root, name);
      assert.equal(show(a.entries), want);
      assert.equal(a.own, own);
    });
  }
  test('reading a folder without a file writes the inherited one (not INBOX)', async () => {
    await s.loadFolderAcl(root, 'INBOX');
    assert.equal(existsSync(join(root, 'courierimapacl')), false);
    await s.loadFolderAcl(root, 'INBOX.A.B');
    assert.equal(
      await readFile(join(root, '.A.B', 'courierimapacl'), 'utf8'),
      'owner aceilrstwx\nadministrators aceilrstwx\nanyone lr\n',
    );
    await writeFile(join(root, '.A', 'courierimapacl'), 'owner aceilrstwx\n');
    assert.equal(
      show((await s.readFolderAcl(root, 'INBOX.A.B')).entries),
      'owner aceilrstwx|administrators aceilrstwx|anyone lr',
    );
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
