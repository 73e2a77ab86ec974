import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  folderDirName,
  folderNameFromDir,
  InvalidFolderNameError,
  normalizeFolderName,
} from '@courier-ts/maildir';

describe('folder names', () => {
  const OK: Array<[string, string, string]> = [
    ['INBOX', 'INBOX', ''],
    ['inbox', 'INBOX', ''],
    ['InBoX.Sent', 'INBOX.Sent', '.Sent'],
    ['INBOX.A.B', 'INBOX.A.B', '.A.B'],
    ['INBOX.Résumé', 'INBOX.Résumé', '.Résumé'],
    ['INBOX.Bad&Amp', 'INBOX.Bad&Amp', '.Bad&Amp'],
    ['INBOX.with space', 'INBOX.with space', '.with space'],
  ];
  for (const [name, canonical, dir] of OK) {
    test(`${name} -> ${JSON.stringify(dir)}`, () => {
      assert.equal(normalizeFolderName(name), canonical);
      assert.equal(folderDirName(name), dir);
      assert.equal(folderNameFromDir(dir), canonical);
    });
  }
  const BAD: Array<[string, string]> = [
    ['Sent', 'not under INBOX.'],
    ['INBOX.', 'empty name'],
    ['INBOX.a/b', 'contains /'],
    ['INBOX.a..b', 'contains ..'],
    ['INBOX...', 'contains ..'],
    ['INBOX..a', 'component starts with .'],
    ['INBOX.a.', 'trailing .'],
    ['INBOX.a\tb', 'control character'],
    ['INBOX.a\u007fb', 'control character'],
    ['INBOX.a\nb', 'control character'],
    [`INBOX.${'x'.repeat(255)}`, 'too long'],
    [`INBOX.${'é'.repeat(128)}`, 'too long'],
    ['INBOX.\ud800x', 'unpaired surrogate'],
    ['../etc', 'not under INBOX.'],
    ['INBOX./../../etc', 'contains /'],
  ];
  for (const [name, reason] of BAD) {
    test(`rejects ${JSON.stringify(name.slice(0, 40))}: ${reason}`, () => {
      assert.throws(
        () => folderDirName(name),
        (e: unknown) =>
          e instanceof InvalidFolderNameError && e.reason === reason && e.code === 'INVALID_FOLDER_NAME',
      );
    });
  }
  test('longest accepted name is 255 bytes on disk', () => {
    assert.equal(folderDirName(`INBOX.${'x'.repeat(254)}`).length, 255);
  });
  test('directory entries that are not folders', () => {
    for (const d of ['.', '..', 'cur', '..x', '.x.', '.a..b'])
      assert.equal(folderNameFromDir(d), undefined, d);
  });
});
