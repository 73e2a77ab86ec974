import assert from 'node:assert/strict';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { emptyTrash, parseEmptyTrash, TrashMemo } from '@courier-ts/imapd';
import { openMaildir } from '@courier-ts/maildir';
import { pino } from 'pino';
import { createMaildir } from '../../../support/maildir-fixture.js';
import { makeTempDir } from '../../../support/tmp.js';

test('IMAP_EMPTYTRASH values', () => {
  assert.deepEqual(parseEmptyTrash('Trash:7'), [{ folder: 'Trash', days: 7 }]);
  assert.deepEqual(parseEmptyTrash('Trash:7, Sent:30,bad,Zero:0'), [
    { folder: 'Trash', days: 7 },
    { folder: 'Sent', days: 30 },
  ]);
  assert.deepEqual(parseEmptyTrash(''), []);
});

test('messages older than the limit leave the trash; younger ones and other folders stay', async () => {
  const tmp = await makeTempDir('courier-ts-imapd-trash-');
  try {
    const root = join(tmp.path, 'Maildir');
    await createMaildir(root, { fixture: 'basic' });
    for (const dir of ['cur', 'new', 'tmp']) await mkdir(join(root, '.Trash', dir), { recursive: true });
    await writeFile(join(root, '.Trash', 'maildirfolder'), '');
    await writeFile(join(root, '.Trash', 'cur', '1700000000.M1P1.t:2,S'), 'Subject: old\n\nx\n');
    const md = await openMaildir(root);
    const log = pino({ level: 'silent' });
    await emptyTrash(md, parseEmptyTrash('Trash:7'), Date.now() + 6 * 86_400_000, log);
    assert.equal((await readdir(join(root, '.Trash', 'cur'))).length, 1, 'six days later: kept');
    await emptyTrash(md, parseEmptyTrash('Trash:7'), Date.now() + 8 * 86_400_000, log);
    assert.equal((await readdir(join(root, '.Trash', 'cur'))).length, 0, 'eight days later: purged');
    assert.equal((await readdir(join(root, 'cur'))).length, 2, 'INBOX untouched');
  } finally {
    await tmp.dispose();
  }
});

test('with a memo: a quiet trash is not looked at file by file, yet new and aged messages are purged', async () => {
  const tmp = await makeTempDir('courier-ts-imapd-trash-');
  try {
    const root = join(tmp.path, 'Maildir');
    await createMaildir(root, { fixture: 'basic' });
    for (const dir of ['cur', 'new', 'tmp']) await mkdir(join(root, '.Trash', dir), { recursive: true });
    await writeFile(join(root, '.Trash', 'maildirfolder'), '');
    const md = await openMaildir(root);
    const log = pino({ level: 'silent' });
    const rules = parseEmptyTrash('Trash:7');
    const memo = new TrashMemo();
    const trashCur = join(root, '.Trash', 'cur');
    // An empty trash is remembered as such; a message arriving later must not hide behind that.
    await emptyTrash(md, rules, Date.now(), log, memo);
    await writeFile(join(trashCur, '1700000000.M1P1.t:2,S'), 'Subject: old\n\nx\n');
    await emptyTrash(md, rules, Date.now() + 6 * 86_400_000, log, memo);
    assert.equal((await readdir(trashCur)).length, 1, 'six days later: kept');
    // Unchanged since: the memo answers, and its oldest ctime still ages past the limit.
    await emptyTrash(md, rules, Date.now() + 8 * 86_400_000, log, memo);
    assert.equal((await readdir(trashCur)).length, 0, 'eight days later: purged');
    // A message delivered straight into new/ counts too.
    await emptyTrash(md, rules, Date.now(), log, memo);
    await writeFile(join(root, '.Trash', 'new', '1700000001.M2P1.t'), 'Subject: new\n\nx\n');
    await emptyTrash(md, rules, Date.now() + 8 * 86_400_000, log, memo);
    const left = [...(await readdir(trashCur)), ...(await readdir(join(root, '.Trash', 'new')))];
    assert.deepEqual(left, [], 'the new/ message aged out too');
  } finally {
    await tmp.dispose();
  }
});
