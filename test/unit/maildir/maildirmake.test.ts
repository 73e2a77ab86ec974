import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runMaildirmake } from '@courier-ts/maildir/internals';
import { tempDir } from './helpers.js';

async function mm(args: string[]) {
  let out = '';
  let err = '';
  const code = await runMaildirmake(args, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

const mode = async (p: string) => ((await stat(p)).mode & 0o7777).toString(8);

describe('maildirmake (outputs as Courier 5.0.13)', () => {
  test('DIR, -f, exists, usage, invalid folder', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const m = join(dir, 'M');
      assert.deepEqual(await mm([m]), { code: 0, out: '', err: '' });
      assert.deepEqual([await mode(m), await mode(join(m, 'cur'))], ['700', '700']);
      assert.deepEqual(await mm([m]), { code: 1, out: '', err: `maildirmake: ${m}: File exists\n` });
      assert.deepEqual(await mm(['-f', 'Sent', m]), { code: 0, out: '', err: '' });
      assert.equal(await mode(join(m, '.Sent', 'maildirfolder')), '600');
      assert.deepEqual(await mm(['-f', 'Sent', m]), {
        code: 1,
        out: '',
        err: `maildirmake: ${m}/.Sent: File exists\n`,
      });
      assert.deepEqual(await mm(['-f', '.x', m]), { code: 1, out: 'Invalid folder name: .x\n', err: '' });
      assert.deepEqual(await mm([]), { code: 1, out: 'Usage: maildirmake [ options ] maildir\n', err: '' });
      assert.deepEqual(await mm(['-z', m]), {
        code: 1,
        out: 'Usage: maildirmake [ options ] maildir\n',
        err: '',
      });
      assert.deepEqual(await mm(['-s', 'write', m]), {
        code: 1,
        out: 'Usage: maildirmake [ options ] maildir\n',
        err: '',
      });
    } finally {
      await cleanup();
    }
  });

  test('-q writes maildirsize with 26-byte lines; -S and -s modes', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const m = join(dir, 'M');
      assert.equal((await mm(['-q', '1000S,10C', m])).code, 0);
      assert.equal(await readFile(join(m, 'maildirsize'), 'utf8'), '1000S,10C\n           0            0\n');
      const s = join(dir, 'S');
      assert.equal((await mm(['-S', s])).code, 0);
      assert.deepEqual([await mode(s), await mode(join(s, 'cur'))], ['755', '700']);
      assert.equal((await mm(['-s', 'write', '-f', 'Pub', s])).code, 0);
      assert.deepEqual([await mode(join(s, '.Pub')), await mode(join(s, '.Pub', 'cur'))], ['1755', '1777']);
      assert.equal((await mm(['-s', 'read,group', '-f', 'G', s])).code, 0);
      assert.deepEqual([await mode(join(s, '.G')), await mode(join(s, '.G', 'new'))], ['750', '750']);
    } finally {
      await cleanup();
    }
  });

  test('--add / --del of shared-maildirs', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const m = join(dir, 'M');
      await mm([m]);
      assert.deepEqual(await mm(['--add', `a=${dir}`, m]), { code: 0, out: '', err: '' });
      assert.deepEqual(await mm(['--add', `a=${dir}`, m]), {
        code: 2,
        out: '',
        err: 'a: already defined as a sharable maildir.\n',
      });
      assert.deepEqual(await mm(['--add', `b.c=${dir}`, m]), {
        code: 1,
        out: '',
        err: 'b.c: invalid name\n',
      });
      assert.deepEqual(await mm(['--add', `d=${dir}/nope`, m]), {
        code: 1,
        out: '',
        err: `${dir}/nope: No such file or directory\n`,
      });
      await mm(['--add', `e=${dir}`, m]);
      assert.equal(await readFile(join(m, 'shared-maildirs'), 'utf8'), `a\t${dir}\ne\t${dir}\n`);
      assert.deepEqual(await mm(['--del', 'a', m]), { code: 0, out: '', err: '' });
      assert.deepEqual(await mm(['--del', 'a', m]), { code: 1, out: '', err: 'a: not found.\n' });
      assert.equal(await readFile(join(m, 'shared-maildirs'), 'utf8'), `e\t${dir}\n`);
    } finally {
      await cleanup();
    }
  });
});
