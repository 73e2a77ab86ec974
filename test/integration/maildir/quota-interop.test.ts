// maildirsize shared with Courier: what we add Courier's GETQUOTAROOT reports, and the reverse.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { OverQuotaError, openMaildir } from '@courier-ts/maildir';
import { put, tempDir } from '../../unit/maildir/helpers.js';
import {
  appendScript,
  COURIER_MAILDIRMAKE,
  courierImap,
  courierImapRaw,
  courierMissing,
  run,
} from './support/courier.js';

const skip = courierMissing();

function courierQuota(out: string): { kb: number; limitKb: number; n: number; limit: number } {
  const m = /\* QUOTA "ROOT" \(STORAGE (\d+) (\d+) MESSAGE (\d+) (\d+)\)/.exec(out);
  assert.ok(m, out);
  return { kb: Number(m[1]), limitKb: Number(m[2]), n: Number(m[3]), limit: Number(m[4]) };
}

describe('maildirsize interop', { skip }, () => {
  test("our deliveries and Courier's add up in one maildirsize; both refuse over quota", async () => {
    const { dir, cleanup } = await tempDir('maildir-quota-');
    try {
      const md = join(dir, 'M');
      assert.equal(
        (await run(COURIER_MAILDIRMAKE, ['-q', '20000S,6C', md], '', { PATH: '/usr/bin:/bin' })).code,
        0,
      );
      const maildir = await openMaildir(md);
      for (let i = 0; i < 3; i++) {
        await maildir.append(
          'INBOX',
          Readable.from([Buffer.from(`Subject: ${i}\r\n\r\n${'x'.repeat(3000)}\r\n`)]),
        );
      }
      const ours = await maildir.quota();
      const q1 = courierQuota(await courierImap(md, ['GETQUOTAROOT INBOX']));
      assert.deepEqual(q1, {
        kb: Math.ceil(ours!.usedBytes / 1024),
        limitKb: Math.ceil(20000 / 1024),
        n: 3,
        limit: 6,
      });
      const out = await courierImapRaw(md, appendScript(2, 'q'));
      assert.equal(out.match(/APPENDUID/g)?.length, 2, out);
      const after = await maildir.quota();
      assert.equal(after?.usedMessages, 5);
      assert.equal(courierQuota(await courierImap(md, ['GETQUOTAROOT INBOX'])).n, 5);
      await maildir.append('INBOX', Readable.from([Buffer.from('Subject: 6th\r\n\r\nx\r\n')]));
      await assert.rejects(
        maildir.append('INBOX', Readable.from([Buffer.from('Subject: 7th\r\n\r\nx\r\n')])),
        OverQuotaError,
      );
      const refused = await courierImapRaw(md, appendScript(1, 'r'));
      assert.match(refused, /NO \[ALERT\] You exceeded your mail quota\./, refused);
    } finally {
      await cleanup();
    }
  });

  test('STORE \\Deleted moves the message out of maildirsize, -\\Deleted back, EXPUNGE adds nothing (bytes as Courier)', async () => {
    const { dir, cleanup } = await tempDir('maildir-quota-');
    try {
      const make = async (md: string): Promise<void> => {
        assert.equal(
          (await run(COURIER_MAILDIRMAKE, ['-q', '10000S,100C', md], '', { PATH: '/usr/bin:/bin' })).code,
          0,
        );
        await put(md, 'cur', '1700000001.M1P1.q,S=19:2,S', 'Subject: a\n\nhello\n');
        await put(md, 'cur', '1700000002.M2P1.q:2,S', 'Subject: b\n\nhello22\n');
        await writeFile(join(md, 'maildirsize'), `10000S,100C\n${'39'.padStart(12)} ${'2'.padStart(12)}\n`);
      };
      const theirs = join(dir, 'C');
      const ours = join(dir, 'O');
      await make(theirs);
      await make(ours);
      await courierImap(theirs, [
        'SELECT INBOX',
        'STORE 1 +FLAGS (\\Deleted)',
        'STORE 1 -FLAGS (\\Deleted)',
        'STORE 1:2 +FLAGS (\\Deleted)',
        'STORE 1 +FLAGS (\\Seen \\Deleted)',
        'EXPUNGE',
      ]);
      const md = await openMaildir(ours);
      const f = await md.openFolder('INBOX');
      const [m1, m2] = f.messages;
      await f.setFlags([m1!], 'add', ['T']);
      await f.setFlags([m1!], 'remove', ['T']);
      await f.setFlags([m1!, m2!], 'add', ['T']);
      await f.setFlags([m1!], 'add', ['S', 'T']);
      await f.expunge(f.messages.filter((m) => m.flags.has('T')));
      await f.close();
      const want = await readFile(join(theirs, 'maildirsize'), 'utf8');
      assert.equal(want.split('\n').length, 7, want); // quota line, total, -19 -1, 19 1, -19 -1, -20 -1
      assert.equal(await readFile(join(ours, 'maildirsize'), 'utf8'), want);
      assert.equal((await md.quota())?.usedMessages, 0);
    } finally {
      await cleanup();
    }
  });

  test("moveTo leaves maildirsize as Courier's COPY + STORE \\Deleted + EXPUNGE (Courier 5.0 has no MOVE)", async () => {
    const { dir, cleanup } = await tempDir('maildir-quota-');
    try {
      const make = async (md: string): Promise<void> => {
        const env = { PATH: '/usr/bin:/bin' };
        assert.equal((await run(COURIER_MAILDIRMAKE, ['-q', '10000S,100C', md], '', env)).code, 0);
        assert.equal((await run(COURIER_MAILDIRMAKE, ['-f', 'Sub', md], '', env)).code, 0);
        await put(md, 'cur', '1700000001.M1P1.q,S=19:2,S', 'Subject: a\n\nhello\n');
        await put(md, 'cur', '1700000002.M2P1.q:2,S', 'Subject: b\n\nhello22\n');
        await writeFile(join(md, 'maildirsize'), `10000S,100C\n${'39'.padStart(12)} ${'2'.padStart(12)}\n`);
      };
      const theirs = join(dir, 'C');
      const ours = join(dir, 'O');
      await make(theirs);
      await make(ours);
      const out = await courierImap(theirs, [
        'SELECT INBOX',
        'COPY 1:2 INBOX.Sub',
        'STORE 1:2 +FLAGS (\\Deleted)',
        'EXPUNGE',
      ]);
      assert.match(out, /COPYUID/, out);
      const md = await openMaildir(ours);
      const f = await md.openFolder('INBOX');
      await f.moveTo(f.messages, 'INBOX.Sub');
      await f.close();
      const want = await readFile(join(theirs, 'maildirsize'), 'utf8');
      assert.equal(want.split('\n').length, 6, want); // quota, total, +39 2 (COPY), -19 -1, -20 -1
      assert.equal(await readFile(join(ours, 'maildirsize'), 'utf8'), want);
    } finally {
      await cleanup();
    }
  });
});
