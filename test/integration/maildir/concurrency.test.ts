// Real concurrent processes on one maildir: our openers, our appenders, an MTA writing tmp/ then
// renaming into new/, and (when installed) Courier's imapd. No message lost, no UID given twice.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openMaildir } from '@courier-ts/maildir';
import { makeMaildir, tempDir } from '../../unit/maildir/helpers.js';
import {
  appendScript,
  courierImap,
  courierImapRaw,
  courierMissing,
  parseFetch,
  run,
} from './support/courier.js';

const WORKER = fileURLToPath(new URL('./support/worker.js', import.meta.url));

function byUidHas(list: readonly { uid: number }[], uid: number): boolean {
  return list.some((m) => m.uid === uid);
}

function worker(mode: string, dir: string, n: number, env: NodeJS.ProcessEnv = {}) {
  return run(process.execPath, [WORKER, mode, dir, String(n)], '', { ...process.env, ...env });
}

describe('concurrency', () => {
  test('two openers, two appenders, a delivering MTA and a flag toggler at once', async () => {
    const { dir, cleanup } = await tempDir('maildir-conc-');
    try {
      await makeMaildir(dir);
      const jobs = [
        worker('observe', dir, 15),
        worker('observe', dir, 15),
        worker('append', dir, 10),
        worker('append', dir, 10),
        worker('deliver', dir, 20),
        worker('flags', dir, 4),
      ];
      const courier = courierMissing() === undefined;
      if (courier) {
        // Courier's own imapd appends and scans at the same time, under the same lock.
        for (const tag of ['x', 'y']) {
          const script = `${appendScript(5, tag)}s SELECT INBOX\r\n`;
          jobs.push(courierImapRaw(dir, script).then((stdout) => ({ stdout, stderr: '', code: 0 })));
        }
      }
      const results = await Promise.all(jobs);
      for (const r of results) assert.equal(r.code, 0, r.stderr);
      for (const r of results.slice(6)) assert.equal(r.stdout.match(/APPENDUID/g)?.length, 5, r.stdout);
      const total = courier ? 50 : 40;
      const f = await (await openMaildir(dir)).openFolder('INBOX');
      assert.equal(f.messages.length, total, 'every message is there');
      const uids = f.messages.map((m) => m.uid);
      assert.equal(new Set(uids).size, uids.length, 'no UID twice');
      assert.equal(new Set(f.messages.map((m) => m.key)).size, total);
      if (courier) {
        const courierAppended = results
          .slice(6)
          .flatMap((r) => [...r.stdout.matchAll(/APPENDUID \d+ (\d+)/g)].map((m) => Number(m[1])));
        for (const u of courierAppended)
          assert.ok(byUidHas(f.messages, u), `Courier's APPENDUID ${u} present`);
        const view = parseFetch(
          await courierImap(dir, ['SELECT INBOX', 'FETCH 1:* (UID FLAGS RFC822.SIZE)']),
        );
        assert.deepEqual(
          view.map((m) => m.uid),
          uids,
          'Courier sees the same UIDs',
        );
      }
      const byUid = new Map(f.messages.map((m) => [m.uid, m.key]));
      for (const r of results.slice(0, 2)) {
        for (const [uid, key] of Object.entries(JSON.parse(r.stdout) as Record<string, string>)) {
          assert.equal(byUid.get(Number(uid)), key, `observer saw uid ${uid} as ${key}`);
        }
      }
      const appended = [...JSON.parse(results[2]!.stdout), ...JSON.parse(results[3]!.stdout)] as number[];
      assert.equal(new Set(appended).size, 20);
      for (const u of appended) assert.match(byUid.get(u) ?? '', /,S=\d+$/, `appended uid ${u} present`);
      const db = (await readFile(join(dir, 'courierimapuiddb'), 'utf8')).trim().split('\n');
      assert.equal(db.length, total + 1);
      assert.equal(Number(db[0]!.split(' ')[2]), Math.max(...uids) + 1);
      await f.close();
    } finally {
      await cleanup();
    }
  });
});

describe('crash safety (SIGKILL between steps)', () => {
  const POINTS: ReadonlyArray<[string, number]> = [
    ['after-append-tmp', 0],
    ['after-staged-link', 1],
    ['after-state-tmp', 1],
    ['after-uiddb-write', 1],
  ];
  for (const [point, visible] of POINTS) {
    test(`killed at ${point}: ${visible ? 'the message appears once' : 'nothing visible'}, state files intact`, async () => {
      const { dir, cleanup } = await tempDir('maildir-kill-');
      try {
        await makeMaildir(dir);
        const pre = await (await openMaildir(dir)).openFolder('INBOX');
        const uidv = pre.uidValidity;
        await pre.close();
        const r = await worker('append', dir, 1, { COURIER_TS_MAILDIR_KILL_AT: point });
        assert.equal(r.code, null, `worker killed (${r.stderr})`);
        const f = await (await openMaildir(dir)).openFolder('INBOX');
        assert.equal(f.uidValidity, uidv, 'UIDVALIDITY unchanged');
        assert.equal(f.messages.length, visible);
        for (const m of f.messages)
          assert.match(await text(f.openMessage(m)), /^Subject: appended \d+\/0\r\n\r\nx\r\n$/);
        const db = await readFile(join(dir, 'courierimapuiddb'), 'utf8');
        assert.match(db, /^1 \d+ \d+\n(\d+ \S+\n)*$/);
        // A second append works: the dead process's lock does not block us, nor Courier.
        const again = await worker('append', dir, 1);
        assert.equal(again.code, 0, again.stderr);
        if (courierMissing() === undefined) {
          const out = await courierImap(dir, ['SELECT INBOX']);
          assert.match(out, new RegExp(`\\* ${visible + 1} EXISTS`), out);
          assert.match(out, new RegExp(`UIDVALIDITY ${uidv}\\]`));
        }
        await f.close();
      } finally {
        await cleanup();
      }
    });
  }
});
