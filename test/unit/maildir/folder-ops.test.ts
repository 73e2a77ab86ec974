import assert from 'node:assert/strict';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  CannotDeleteFolderError,
  CannotRenameFolderError,
  FolderExistsError,
  InvalidFolderNameError,
  NoSuchFolderError,
  openMaildir,
} from '@courier-ts/maildir';
import { sameSubscription } from '@courier-ts/maildir/internals';
import { put, withMaildir } from './helpers.js';

describe('folders', () => {
  test('CREATE: tmp/new/cur, maildirfolder, uiddb, keyword dir, inherited ACL; hierarchy ACL for the missing level', async () => {
    await withMaildir(async (dir) => {
      const md = await openMaildir(dir);
      await md.createFolder('INBOX.Foo.Bar');
      const f = join(dir, '.Foo.Bar');
      assert.deepEqual((await readdir(f)).sort(), [
        'courierimapacl',
        'courierimapkeywords',
        'courierimapuiddb',
        'cur',
        'maildirfolder',
        'new',
        'tmp',
      ]);
      assert.equal((await stat(f)).mode & 0o777, 0o700);
      assert.equal((await stat(join(f, 'maildirfolder'))).mode & 0o777, 0o600);
      assert.equal((await stat(join(f, 'maildirfolder'))).size, 0);
      assert.match(await readFile(join(f, 'courierimapuiddb'), 'utf8'), /^1 \d+ 1\n$/);
      assert.equal(
        await readFile(join(f, 'courierimapacl'), 'utf8'),
        'owner aceilrstwx\nadministrators aceilrstwx\n',
      );
      assert.equal(
        await readFile(join(dir, 'courierimaphieracl', 'Foo'), 'utf8'),
        'owner aceilrstwx\nadministrators aceilrstwx\n',
      );
      assert.deepEqual(await readdir(join(dir, 'tmp')), [], 'no leftovers');
      await assert.rejects(md.createFolder('INBOX.Foo.Bar'), FolderExistsError);
      await assert.rejects(md.createFolder('inbox'), FolderExistsError);
      await assert.rejects(md.createFolder('INBOX.a/../../x'), InvalidFolderNameError);
      await assert.rejects(md.createFolder('Other'), InvalidFolderNameError);
    });
  });

  test('LIST: existing, \\Noselect intermediate levels, children, \\Marked INBOX', async () => {
    await withMaildir(async (dir) => {
      const md = await openMaildir(dir);
      await md.createFolder('INBOX.A.B');
      await md.createFolder('INBOX.Sent');
      await put(dir, 'new', '1.M1P1.h', 'x\n');
      const list = Object.fromEntries((await md.listFolders()).map((e) => [e.name, e]));
      assert.deepEqual(Object.keys(list).sort(), ['INBOX', 'INBOX.A', 'INBOX.A.B', 'INBOX.Sent']);
      assert.deepEqual(
        [
          list.INBOX!.hasChildren,
          list.INBOX!.marked,
          list['INBOX.A']!.noselect,
          list['INBOX.A']!.hasChildren,
        ],
        [true, true, true, true],
      );
      assert.deepEqual(
        [list['INBOX.A.B']!.noselect, list['INBOX.A.B']!.hasChildren, list['INBOX.Sent']!.exists],
        [false, false, true],
      );
      assert.equal(await md.folderExists('INBOX.A'), false);
      assert.equal(await md.folderExists('INBOX.A.B'), true);
    });
  });

  test('RENAME moves children along and keeps UIDVALIDITY; DELETE leaves children', async () => {
    await withMaildir(async (dir) => {
      const md = await openMaildir(dir);
      await md.createFolder('INBOX.Work');
      await md.createFolder('INBOX.Work.Old');
      await md.createFolder('INBOX.Workshop');
      const uidv = (await md.status('INBOX.Work.Old')).uidValidity;
      await md.renameFolder('INBOX.Work', 'INBOX.Job');
      const names = (await md.listFolders()).map((e) => e.name).sort();
      assert.deepEqual(names, ['INBOX', 'INBOX.Job', 'INBOX.Job.Old', 'INBOX.Workshop']);
      assert.equal((await md.status('INBOX.Job.Old')).uidValidity, uidv);
      await assert.rejects(md.renameFolder('INBOX.Job', 'INBOX.Workshop'), FolderExistsError);
      await assert.rejects(md.renameFolder('INBOX', 'INBOX.X'), CannotRenameFolderError);
      await md.renameFolder('INBOX.Nothing', 'INBOX.Else'); // Courier says OK too
      await md.deleteFolder('INBOX.Job');
      const after = Object.fromEntries((await md.listFolders()).map((e) => [e.name, e.noselect]));
      assert.deepEqual(after, {
        INBOX: false,
        'INBOX.Job': true,
        'INBOX.Job.Old': false,
        'INBOX.Workshop': false,
      });
      await assert.rejects(md.deleteFolder('INBOX.Job'), NoSuchFolderError);
      await assert.rejects(md.deleteFolder('INBOX'), CannotDeleteFolderError);
      await md.createFolder('INBOX.Trash');
      await assert.rejects(md.deleteFolder('INBOX.Trash'), CannotDeleteFolderError);
      await assert.rejects(md.openFolder('INBOX.Job'), NoSuchFolderError);
    });
  });

  test('subscriptions: appended in order, INBOX prefix case-insensitive only', async () => {
    await withMaildir(async (dir) => {
      const md = await openMaildir(dir);
      await md.subscribe('INBOX.Work');
      await md.subscribe('INBOX');
      await md.subscribe('inbox.Work');
      await md.subscribe('INBOX.work');
      assert.equal(
        await readFile(join(dir, 'courierimapsubscribed'), 'utf8'),
        'INBOX.Work\nINBOX\nINBOX.work\n',
      );
      await md.unsubscribe('Inbox.Work');
      assert.deepEqual(await md.subscriptions(), ['INBOX', 'INBOX.work']);
      assert.equal(sameSubscription('inbox', 'INBOX'), true);
      assert.equal(sameSubscription('INBOX.A', 'INBOX.a'), false);
    });
  });

  test('STATUS does not move new/ nor write the uiddb', async () => {
    await withMaildir(async (dir) => {
      const md = await openMaildir(dir);
      await put(dir, 'new', '2.M1P1.h', 'x\n');
      await put(dir, 'cur', '1.M1P1.h:2,S', 'x\n');
      const st = await md.status('INBOX');
      assert.deepEqual(
        { ...st, uidValidity: 0 },
        { messages: 2, recent: 2, unseen: 1, uidNext: 3, uidValidity: 0 },
      );
      assert.deepEqual(await readdir(join(dir, 'new')), ['2.M1P1.h']);
      await assert.rejects(stat(join(dir, 'courierimapuiddb')));
    });
  });
});

describe('a selected folder deleted by another session', () => {
  test('sync fails with NoSuchFolderError', async () => {
    await withMaildir(async (dir) => {
      const md = await openMaildir(dir);
      await md.createFolder('INBOX.X');
      const f = await md.openFolder('INBOX.X');
      await md.deleteFolder('INBOX.X');
      await assert.rejects(f.sync(), NoSuchFolderError);
      await f.close();
    });
  });
});
