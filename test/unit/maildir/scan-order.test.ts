// New messages get their UIDs in Courier's file-name order (compareNames, imapscanclient.c's
// fnamcmp), whatever shortcut the scan takes to sort them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compareNames, resolveContext, scanFolder } from '@courier-ts/maildir/internals';
import { FIXED_NOW, makeMaildir, put, tempDir } from './helpers.js';

const TRICKY = [
  '1700000000.M1P1.h',
  '1700000000.M10P1.h',
  '1700000000.M2P1.h',
  '170000000.M1P1.h',
  '01700000000.M3P1.h',
  '1700000001.a',
  'x.M1P1.h',
  ' 5.blank',
  '-3.minus',
  '+7.plus',
  '99999999999999999999.big',
  '99999999999999999998.big',
  '5',
  '5a',
  'é.utf8',
  '1700000000.Mé.h',
];

describe('scan order of new messages', () => {
  test('UIDs follow compareNames exactly (table of tricky names, then a random batch)', async () => {
    const random = Array.from({ length: 400 }, (_, i) => {
      const t = 1_600_000_000 + ((i * 7919) % 997);
      return `${t}.M${(i * 31) % 89}P${i}.host`;
    });
    for (const names of [TRICKY, random]) {
      const { dir, cleanup } = await tempDir();
      try {
        await makeMaildir(dir);
        for (const n of names) await put(dir, 'new', n, 'x\n');
        const ctx = resolveContext(dir, { clock: { now: () => FIXED_NOW } });
        const scan = await scanFolder(ctx, dir, { readOnly: false, folderName: 'INBOX' });
        const got = scan.entries.map((e) => e.filename.replace(/:2,$/, ''));
        const want = [...names].sort((a, b) => compareNames(`${a}:2,`, `${b}:2,`));
        assert.deepEqual(got, want);
        assert.deepEqual(
          scan.entries.map((e) => e.uid),
          names.map((_, i) => i + 1),
        );
      } finally {
        await cleanup();
      }
    }
  });
});
