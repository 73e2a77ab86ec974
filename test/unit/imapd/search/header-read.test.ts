// readHeaderFile: the header block of a message file, read directly, whatever the chunking.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { makeTempDir, type TempDir } from '../../../support/tmp.js';
import { searchModule } from './imapd-internals.js';

type HR = typeof import('../../../../packages/imapd/src/search/header-read.js');
const { readHeaderFile } = await searchModule<HR>('header-read');

let tmp: TempDir;
before(async () => {
  tmp = await makeTempDir('courier-ts-hr-');
});
after(() => tmp.dispose());

const pad = (n: number): string => `X-Pad: ${'p'.repeat(n - 9)}\n`;

describe('readHeaderFile', () => {
  const cases: [string, string, number, string][] = [
    ['LF', 'A: 1\nB: 2\n\nbody\n\nmore', 1024, 'A: 1\nB: 2\n'],
    ['CRLF', 'A: 1\r\nB: 2\r\n\r\nbody', 1024, 'A: 1\r\nB: 2\r\n'],
    ['no body', 'A: 1\nB: 2\n', 1024, 'A: 1\nB: 2\n'],
    ['no blank line, capped', 'A: 1\nB: 2\nC: 3\n', 8, 'A: 1\nB: '],
    ['starts with the blank line', '\nbody', 1024, ''],
    ['blank line straddles the 16 KiB read', `${pad(16383)}\nbody`, 1 << 20, pad(16383)],
    ['blank line right after the first read', `${pad(16384)}\nbody`, 1 << 20, pad(16384)],
    [
      'CRLF blank line straddling',
      `${pad(16383).replace('\n', '\r\n')}\r\nbody`,
      1 << 20,
      pad(16383).replace('\n', '\r\n'),
    ],
  ];
  for (const [name, content, max, want] of cases) {
    test(name, async () => {
      const p = join(tmp.path, name.replace(/\W+/g, '-'));
      await writeFile(p, content, 'latin1');
      assert.equal((await readHeaderFile(p, max)).toString('latin1'), want);
    });
  }
  test('a missing file rejects (the cache then asks the folder)', async () => {
    await assert.rejects(readHeaderFile(join(tmp.path, 'nope'), 100), { code: 'ENOENT' });
  });
});
