// maildirsize shared with Courier: what we add Courier's GETQUOTAROOT reports, and the reverse.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { OverQuotaError, openMaildir } from '@courier-ts/maildir';
import { tempDir } from '../../unit/maildir/helpers.js';
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
});
