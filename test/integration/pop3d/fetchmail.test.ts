// fetchmail (Debian) against our pop3d: keep (nothing fetched twice, by UIDL), then flush; and the
// switch from the real Courier to ours on the same maildir with a leave-on-server client.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { writeConfigDir } from '../../support/config-dir.js';
import { courierAvailability, startCourier } from '../../support/courier.js';
import { freePort } from '../../support/net.js';
import { startServer } from '../../support/server.js';
import { makeSelfSignedPem } from '../../support/tls.js';
import { makeTempDir } from '../../support/tmp.js';
import { mailUser } from '../../support/users.js';
import { startPop3d } from './helpers.js';

const FETCHMAIL = '/usr/bin/fetchmail';

interface FetchRun {
  readonly code: number;
  readonly output: string;
  readonly delivered: number;
}

/** One fetchmail run; messages go through an MDA that appends them to `<dir>/out`. */
async function fetchmail(dir: string, port: number, keep: boolean): Promise<FetchRun> {
  const out = join(dir, 'out');
  const before = existsSync(out) ? (await readFile(out, 'latin1')).split('===END===').length - 1 : 0;
  const rc = join(dir, 'fetchmailrc');
  await writeFile(
    rc,
    [
      'set no syslog',
      `poll 127.0.0.1 proto POP3 port ${port} uidl`,
      `  user "testuser" there with password "testpass" is "${process.env.USER ?? 'root'}" here`,
      keep ? '  keep' : '  nokeep',
      "  sslproto ''",
      `  mda "/bin/sh -c 'cat >> ${out}; echo ===END=== >> ${out}'"`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  const r = await new Promise<{ code: number; output: string }>((resolve) => {
    execFile(
      FETCHMAIL,
      ['-f', rc, '-i', join(dir, 'ids'), '--pidfile', join(dir, 'pid'), '-N', '--nosyslog'],
      { timeout: 60_000, env: { PATH: process.env.PATH, HOME: dir } },
      (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, output: stdout + stderr }),
    );
  });
  const after = existsSync(out) ? (await readFile(out, 'latin1')).split('===END===').length - 1 : 0;
  return { ...r, delivered: after - before };
}

describe('fetchmail', { skip: !existsSync(FETCHMAIL) && 'fetchmail not installed' }, () => {
  test('keep: everything once, nothing the second time; then flush deletes', async () => {
    const server = await startPop3d();
    const tmp = await makeTempDir('courier-ts-fetchmail-');
    try {
      const first = await fetchmail(tmp.path, server.port, true);
      assert.equal(first.code, 0, `${first.output}\n${server.logs.text()}`);
      assert.equal(first.delivered, 5, `${first.output}\n${server.logs.text()}`);
      const second = await fetchmail(tmp.path, server.port, true);
      assert.equal(second.code, 1, `exit 1 = no new mail\n${second.output}`);
      assert.equal(second.delivered, 0);
      const flush = await fetchmail(tmp.path, server.port, false);
      assert.equal(flush.delivered, 0, 'nothing new: nokeep fetches (and deletes) nothing');
      assert.equal((await readdir(join(server.maildir!, 'cur'))).length, 5);
      await writeFile(join(tmp.path, 'ids'), '');
      const all = await fetchmail(tmp.path, server.port, false);
      assert.equal(all.delivered, 5, all.output);
      assert.deepEqual(await readdir(join(server.maildir!, 'cur')), []);
    } finally {
      await server.stop();
      await tmp.dispose();
    }
  });

  const avail = courierAvailability(true);
  test('leave on server: fetched from Courier, then from ours on the same maildir: nothing twice', {
    skip: !avail.ok && avail.reason,
  }, async () => {
    const courier = await startCourier();
    const tmp = await makeTempDir('courier-ts-fetchmail-switch-');
    let ours: Awaited<ReturnType<typeof startServer>> | undefined;
    try {
      await courier.resetMaildir({ fixture: 'pop3' });
      const a = await fetchmail(tmp.path, courier.ports.pop3, true);
      assert.equal(a.delivered, 5, a.output);
      const etc = join(tmp.path, 'etc');
      await mkdir(etc);
      const port = await freePort();
      const tlsPort = await freePort();
      const owner = mailUser();
      await writeConfigDir({
        dir: etc,
        ports: { pop3: port, pop3s: tlsPort },
        certFile: await makeSelfSignedPem(etc),
        accounts: [
          {
            name: 'testuser',
            uid: owner.uid,
            gid: owner.gid,
            home: join(courier.maildir, '..'),
            maildir: courier.maildir,
          },
        ],
      });
      ours = await startServer({ kind: 'pop3d', configDir: etc, ports: { plain: port, tls: tlsPort } });
      if (ours.status !== 'running') throw new Error(ours.reason);
      const b = await fetchmail(tmp.path, port, true);
      assert.equal(b.delivered, 0, b.output);
      assert.equal(b.code, 1, b.output);
    } finally {
      if (ours?.status === 'running') await ours.stop();
      await courier.stop().catch(() => {});
      await tmp.dispose();
    }
  });
});
