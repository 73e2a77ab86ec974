// getmail (Debian getmail6) against our pop3d: leave on server (nothing twice), then delete.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { makeTempDir } from '../../support/tmp.js';
import { startPop3d } from './helpers.js';

const GETMAIL = '/usr/bin/getmail';

async function getmail(dir: string, port: number, del: boolean): Promise<{ code: number; output: string }> {
  await writeFile(
    join(dir, 'getmailrc'),
    [
      '[retriever]',
      'type = SimplePOP3Retriever',
      'server = 127.0.0.1',
      `port = ${port}`,
      'username = testuser',
      'password = testpass',
      '',
      '[destination]',
      'type = MDA_external',
      'path = /bin/sh',
      `arguments = ("-c", "cat >> ${join(dir, 'out')}; echo ===END=== >> ${join(dir, 'out')}")`,
      'allow_root_commands = true',
      '',
      '[options]',
      'read_all = false',
      `delete = ${del ? 'true' : 'false'}`,
      'verbose = 1',
      '',
    ].join('\n'),
  );
  return new Promise((resolve) => {
    execFile(
      GETMAIL,
      ['--getmaildir', dir, '--rcfile', 'getmailrc'],
      { timeout: 60_000 },
      (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, output: stdout + stderr }),
    );
  });
}

async function delivered(dir: string): Promise<number> {
  const out = join(dir, 'out');
  return existsSync(out) ? (await readFile(out, 'latin1')).split('===END===').length - 1 : 0;
}

describe('getmail', { skip: !existsSync(GETMAIL) && 'getmail not installed' }, () => {
  test('leave on server: everything once, nothing the second time; then delete', async () => {
    const server = await startPop3d();
    const tmp = await makeTempDir('courier-ts-getmail-');
    try {
      const a = await getmail(tmp.path, server.port, false);
      assert.equal(a.code, 0, a.output);
      assert.equal(await delivered(tmp.path), 5, a.output);
      const b = await getmail(tmp.path, server.port, false);
      assert.equal(b.code, 0, b.output);
      assert.equal(await delivered(tmp.path), 5, `nothing new\n${b.output}`);
      assert.equal((await readdir(join(server.maildir!, 'cur'))).length, 5);
      const c = await getmail(tmp.path, server.port, true);
      assert.equal(c.code, 0, c.output);
      // delete=true removes what getmail already has (by UIDL) without delivering it again
      assert.equal(await delivered(tmp.path), 5);
      assert.equal((await readdir(join(server.maildir!, 'cur'))).length, 0);
    } finally {
      await server.stop();
      await tmp.dispose();
    }
  });
});
