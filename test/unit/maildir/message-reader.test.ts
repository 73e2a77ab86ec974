// readHeaderBlock / measureFile (one file handle, positioned reads): the header cut at every read
// boundary, the byte limit, files without a blank line, vanished files.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { measureFile, readHeaderBlock } from '@courier-ts/maildir/internals';
import { tempDir } from './helpers.js';

function header(bytes: number): string {
  let h = 'Subject: x\n';
  while (h.length < bytes - 1)
    h += `X-Pad: ${'p'.repeat(Math.min(60, Math.max(0, bytes - h.length - 10)))}\n`;
  return h.slice(0, bytes - 1).replace(/\n?$/, '\n');
}

describe('readHeaderBlock', () => {
  test('stops after the blank line wherever it falls (first read is 8 KiB, then 32 KiB, 64 KiB)', async () => {
    const { dir, cleanup } = await tempDir('maildir-reader-');
    try {
      for (const size of [20, 8190, 8191, 8192, 8193, 40959, 40960, 40961, 110000]) {
        const h = header(size);
        const path = join(dir, `m${size}`);
        await writeFile(path, `${h}\nbody\n\nmore\n`);
        const got = await readHeaderBlock(path, 1 << 20);
        assert.equal(got.toString(), `${h}\n`, `header of ${size} bytes`);
      }
    } finally {
      await cleanup();
    }
  });

  test('honours maxBytes, and returns the whole file when there is no blank line', async () => {
    const { dir, cleanup } = await tempDir('maildir-reader-');
    try {
      const path = join(dir, 'm');
      const h = header(20000);
      await writeFile(path, `${h}\nbody\n`);
      assert.equal((await readHeaderBlock(path, 100)).toString(), h.slice(0, 100));
      assert.equal((await readHeaderBlock(path, 0)).length, 0);
      await writeFile(path, h);
      assert.equal((await readHeaderBlock(path, 1 << 20)).toString(), h);
      await writeFile(path, '\nbody\n');
      assert.equal((await readHeaderBlock(path, 1 << 20)).toString(), '\n');
      await assert.rejects(readHeaderBlock(join(dir, 'gone'), 100), { code: 'ENOENT' });
    } finally {
      await cleanup();
    }
  });
});

describe('measureFile', () => {
  test('size, LF count and 8-bit headers across 64 KiB reads', async () => {
    const { dir, cleanup } = await tempDir('maildir-reader-');
    try {
      const path = join(dir, 'm');
      const body = `${'line\n'.repeat(30000)}`;
      await writeFile(path, `Subject: caf\u00e9\n\n${body}`);
      const r = await measureFile(path);
      assert.equal(r.size, Buffer.byteLength(`Subject: caf\u00e9\n\n${body}`));
      assert.equal(r.lfs, 30002);
      assert.equal(r.utf8Headers, true);
    } finally {
      await cleanup();
    }
  });
  test('every size around the read sizes (16 KiB first, then 64 KiB), empty file too', async () => {
    const { dir, cleanup } = await tempDir('maildir-reader-');
    try {
      for (const n of [0, 1, 16383, 16384, 16385, 81919, 81920, 81921, 147456, 150000]) {
        const path = join(dir, `m${n}`);
        const text = 'Subject: x\n\n'.concat('ab\n'.repeat(n)).slice(0, n);
        await writeFile(path, text);
        const r = await measureFile(path);
        assert.equal(r.size, n, `${n} bytes`);
        assert.equal(r.lfs, text.split('\n').length - 1, `${n} bytes`);
      }
    } finally {
      await cleanup();
    }
  });
});
