// Interop with the real Courier on one maildir, both ways: what Courier writes we read the same,
// what we write Courier reads the same, and UIDVALIDITY never changes.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { type Folder, openMaildir } from '@courier-ts/maildir';
import { captureLog, tempDir } from '../../unit/maildir/helpers.js';
import {
  COURIER_MAILDIRMAKE,
  courierImap,
  courierMissing,
  courierPop3,
  parseFetch,
  parseUidValidity,
  run,
} from './support/courier.js';

const skip = courierMissing();

function ourView(f: Folder) {
  return f.messages.map((m) => ({
    uid: m.uid,
    flags: [...m.flags].sort().join(''),
    keywords: [...m.keywords].sort().join(','),
    size: m.crlfSize,
  }));
}

const MSG = (n: number, extra = '') => `From: a@example.com\nSubject: message ${n}${extra}\n\nBody ${n}\n`;

describe('interop with real Courier', { skip }, () => {
  test('Courier writes, we read the same; we write, Courier reads the same', async () => {
    const { dir, cleanup } = await tempDir('maildir-interop-');
    try {
      const md = join(dir, 'Maildir');
      assert.equal((await run(COURIER_MAILDIRMAKE, [md], '', { PATH: '/usr/bin:/bin' })).code, 0);
      // An MTA delivers three messages; file names chosen so that name order != mtime order.
      await writeFile(join(md, 'new', '1700000001.M21534P10.mx'), MSG(1));
      await writeFile(join(md, 'new', '1700000001.M131984P10.mx'), MSG(2, ' é'));
      await writeFile(join(md, 'new', '1700000000.M9P10.mx'), MSG(3));
      // Courier: SELECT (assigns UIDs), keywords, flags, a folder, subscriptions.
      const c1 = await courierImap(md, [
        'SELECT INBOX',
        'STORE 1 +FLAGS (\\Seen Work $Forwarded)',
        'STORE 2 +FLAGS (\\Flagged Important)',
        'CREATE INBOX.Archive',
        'CREATE INBOX.Projets.&AMk-t&AOk-',
        'SUBSCRIBE INBOX.Archive',
        'SUBSCRIBE INBOX',
        'FETCH 1:* (UID FLAGS RFC822.SIZE)',
      ]);
      const uidv = parseUidValidity(c1);
      assert.ok(uidv, c1);
      const courierBefore = parseFetch(c1);
      assert.equal(courierBefore.length, 3, c1);
      const pop1 = await courierPop3(md, ['UIDL', 'LIST']);

      // We open the same maildir.
      const log = captureLog();
      const maildir = await openMaildir(md, { log, hostname: 'ours.test' });
      const inbox = await maildir.openFolder('INBOX');
      assert.equal(inbox.uidValidity, uidv);
      assert.deepEqual(ourView(inbox), courierBefore);
      assert.deepEqual(await maildir.subscriptions(), ['INBOX.Archive', 'INBOX']);
      const names = (await maildir.listFolders()).map((f) => [f.name, f.noselect]).sort();
      assert.deepEqual(names, [
        ['INBOX', false],
        ['INBOX.Archive', false],
        ['INBOX.Projets', true],
        ['INBOX.Projets.Été', false],
      ]);
      const drop = await maildir.pop3Maildrop();
      const uidls = pop1
        .split('\r\n')
        .filter((l) => /^\d+ UID/.test(l))
        .map((l) => l.split(' ')[1]);
      assert.deepEqual(
        drop.messages.map((m) => m.uidl),
        uidls,
      );
      const sizes = pop1
        .split('\r\n')
        .filter((l) => /^\d+ \d+$/.test(l))
        .map((l) => Number(l.split(' ')[1]));
      assert.deepEqual(
        drop.messages.map((m) => m.crlfSize),
        sizes,
      );

      // We deliver, append, copy, set keywords and expunge.
      await writeFile(join(md, 'new', '1700000100.M1P11.mx'), MSG(4));
      await inbox.sync();
      const app = await inbox.append(Readable.from([Buffer.from('Subject: appended\r\n\r\nhi\r\n')]), {
        flags: ['S'],
        keywords: ['Appended'],
      });
      await inbox.sync();
      await inbox.setFlags([inbox.byUid(2)!], 'add', ['R'], ['NewKw']);
      await inbox.setFlags([inbox.byUid(1)!], 'remove', [], ['Work']);
      const copy = await inbox.copyTo([inbox.byUid(1)!, inbox.byUid(app.uid)!], 'INBOX.Archive');
      await inbox.expunge([inbox.byUid(3)!]);
      await maildir.subscribe('INBOX.Projets.Été');
      await maildir.unsubscribe('INBOX.Archive');
      const archive = await maildir.openFolder('INBOX.Archive');
      await inbox.sync();

      // Courier sees exactly what we see, with unchanged UIDVALIDITY.
      const c2 = await courierImap(md, ['SELECT INBOX', 'FETCH 1:* (UID FLAGS RFC822.SIZE)']);
      assert.equal(parseUidValidity(c2), uidv);
      assert.deepEqual(parseFetch(c2), ourView(inbox), c2);
      const c3 = await courierImap(md, [
        'SELECT INBOX.Archive',
        'FETCH 1:* (UID FLAGS RFC822.SIZE)',
        'LSUB "" "*"',
      ]);
      assert.equal(parseUidValidity(c3), archive.uidValidity);
      assert.equal(copy.uidValidity, archive.uidValidity);
      assert.deepEqual(parseFetch(c3), ourView(archive), c3);
      assert.deepEqual(
        parseFetch(c3).map((m) => m.uid),
        [...copy.destUids],
      );
      assert.match(c3, /\* LSUB \([^)]*\) "\." "INBOX\.Projets\.&AMk-t&AOk-"/);
      assert.doesNotMatch(c3, /LSUB .* "INBOX\.Archive"/);

      // POP3: Courier's UIDLs after our changes equal ours.
      const ourDrop = await maildir.pop3Maildrop();
      const pop2 = await courierPop3(md, ['UIDL']);
      const uidls2 = pop2
        .split('\r\n')
        .filter((l) => /^\d+ UID/.test(l))
        .map((l) => l.split(' ')[1]);
      assert.deepEqual(
        ourDrop.messages.map((m) => m.uidl),
        uidls2,
      );
      assert.equal(
        (await readFile(join(md, 'courierimapuiddb'), 'utf8')).split('\n')[0]!.split(' ')[1],
        String(uidv),
      );
      assert.deepEqual(
        log.lines.filter((l) => l.level === 'warn' || l.level === 'error'),
        [],
      );
      await inbox.close();
      await archive.close();
    } finally {
      await cleanup();
    }
  });

  test('our POP3 maildrop rewrites courierpop3dsizelist exactly as courierpop3d would', async () => {
    const { dir, cleanup } = await tempDir('maildir-pop3-');
    try {
      const a = join(dir, 'a');
      const b = join(dir, 'b');
      for (const md of [a, b]) {
        assert.equal((await run(COURIER_MAILDIRMAKE, [md], '', { PATH: '/usr/bin:/bin' })).code, 0);
        await writeFile(join(md, 'new', '1000.M1P1.h'), 'Subject: a\n\nno trailing newline');
        await writeFile(join(md, 'new', '1001.M1P1.h'), 'Subject: caf\u00e9\n\nx\n');
        await writeFile(join(md, 'cur', '999.M1P1.h,S=99:2,S'), 'Subject: d\r\n\r\ncrlf\r\n');
      }
      await courierPop3(a, ['STAT']);
      const drop = await (await openMaildir(b)).pop3Maildrop();
      const courier = (await readFile(join(a, 'courierpop3dsizelist'), 'utf8')).split('\n');
      const ours = (await readFile(join(b, 'courierpop3dsizelist'), 'utf8')).split('\n');
      // Identical except the uidv (time of creation) on every line.
      const norm = (lines: string[]) =>
        lines.map((l) => l.replace(/ \d{9,}$/, ' T').replace(/:\d{9,}:/, ':T:'));
      assert.deepEqual(norm(ours), norm(courier));
      // RETR marks \Seen the way courierpop3d does; QUIT deletions unlink.
      await drop.markSeen(1);
      await drop.commitDeletes([0]);
      const again = await (await openMaildir(b)).pop3Maildrop();
      assert.deepEqual(
        again.messages.map((m) => m.filename),
        ['1000.M1P1.h:2,S', '1001.M1P1.h:2,'],
      );
    } finally {
      await cleanup();
    }
  });
});
