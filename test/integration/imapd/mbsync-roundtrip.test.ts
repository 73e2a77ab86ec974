// mbsync (isync) against our imapd, both ways (issue 6): a 1,000-message INBOX (mkmaildir.py) is
// synced into an empty local maildir, then each side changes (near: a new message, a flag, a
// deletion; far: an MTA delivery, a flag, an expunge) and the second run carries every change across,
// then a third run transfers nothing. mbsync's own counters (its last status line) and the two
// maildirs are checked; the server's UIDVALIDITY must stay put (mbsync would refuse to go on).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chown, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { writeMbsyncConfig } from '../../support/clients.js';
import { ImapClient } from '../../support/net.js';
import { type RunningServer, startRunningServer } from '../../support/server.js';
import { makeTempDir, type TempDir } from '../../support/tmp.js';

const run = promisify(execFile);
const MESSAGES = 1000;

/**
 * mbsync's (1.4) final progress line, `C: 1/1  B: 1/1  F: +0/0 *0/0 #0/0  N: +1000/1000 *0/0 #0/0`:
 * per side, messages stored (+), flag updates (*, a propagated deletion is one) and trashed (#).
 */
interface Side {
  readonly added: number;
  readonly flagged: number;
  readonly trashed: number;
}
interface Counters {
  readonly far: Side;
  readonly near: Side;
}

function parseCounters(out: string): Counters {
  const lines = out.split(/[\r\n]+/).filter((l) => /\bF: \+\d+/.test(l));
  const last = lines.at(-1);
  assert.ok(last, `no mbsync counter line in:\n${out}`);
  const side = (tag: string) => {
    const m = new RegExp(`${tag}: \\+(\\d+)/\\d+ \\*(\\d+)/\\d+ #(\\d+)/\\d+`).exec(last);
    assert.ok(m, `cannot read ${tag} counters from: ${last}`);
    return { added: Number(m[1]), flagged: Number(m[2]), trashed: Number(m[3]) };
  };
  return { far: side('F'), near: side('N') };
}

async function mbsync(dir: string): Promise<{ out: string; counters: Counters }> {
  try {
    // mbsync prints its progress counters only to a terminal: script(1) gives it one.
    const cmd = `mbsync -c '${join(dir, 'mbsyncrc')}' -a`;
    const r = await run('script', ['-q', '-e', '-c', cmd, '/dev/null'], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir },
      timeout: 25_000,
      maxBuffer: 16 << 20,
    });
    const out = `${r.stdout}\n${r.stderr}`;
    return { out, counters: parseCounters(out) };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`mbsync failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

/** Messages of a maildir (cur/ and new/), by file name. */
async function messageFiles(maildir: string): Promise<string[]> {
  const out: string[] = [];
  for (const sub of ['cur', 'new']) {
    for (const n of await readdir(join(maildir, sub))) if (!n.startsWith('.')) out.push(`${sub}/${n}`);
  }
  return out;
}

async function subjects(maildir: string): Promise<string[]> {
  const out: string[] = [];
  for (const f of await messageFiles(maildir)) {
    const head = (await readFile(join(maildir, f), 'latin1')).split('\n\n', 1)[0] ?? '';
    out.push(/^Subject: (.*)$/m.exec(head)?.[1] ?? '');
  }
  return out;
}

describe('imapd: mbsync two-way sync of 1,000 messages', () => {
  let server: RunningServer;
  let tmp: TempDir;
  let local: string;
  let imap: ImapClient;

  before(async () => {
    server = await startRunningServer({
      kind: 'imapd',
      maildir: { generate: { messages: MESSAGES, seed: 6 } },
    });
    tmp = await makeTempDir('courier-ts-mbsync2-');
    local = join(tmp.path, 'mail');
    await mkdir(local);
    await writeMbsyncConfig(join(tmp.path, 'mbsyncrc'), {
      port: server.port,
      user: server.user.name,
      password: server.user.password,
      local,
      store: [],
      channel: ['Patterns INBOX', 'Create Near', 'Sync All', 'Expunge Both'],
    });
    imap = await ImapClient.connect(server.port);
    await imap.greeting();
    assert.equal((await imap.command(`LOGIN ${server.user.name} ${server.user.password}`)).status, 'OK');
  });
  after(async () => {
    await imap?.command('LOGOUT').catch(() => undefined);
    imap?.close();
    await server?.stop();
    await tmp?.dispose();
  });

  async function uidValidity(): Promise<string> {
    const r = await imap.command('STATUS INBOX (MESSAGES UIDVALIDITY UIDNEXT)');
    const m = /UIDVALIDITY (\d+)/.exec(r.responses.join(''));
    assert.ok(m, r.responses.join(''));
    return m[1]!;
  }

  test('first run pulls every message', async () => {
    const { counters } = await mbsync(tmp.path);
    assert.deepEqual(counters.near, { added: MESSAGES, flagged: 0, trashed: 0 });
    assert.deepEqual(counters.far, { added: 0, flagged: 0, trashed: 0 });
    assert.equal((await messageFiles(join(local, 'INBOX'))).length, MESSAGES);
  });

  test('a change on each side crosses over; UIDVALIDITY stays', async () => {
    const validity = await uidValidity();
    const inbox = join(local, 'INBOX');
    // Near side: a new message, a flag, a deletion (mbsync propagates T and expunges both sides).
    await writeFile(
      join(inbox, 'new', `${Math.floor(Date.now() / 1000)}.nearside.test`),
      'From: near@example.com\nSubject: written near\n\nfrom the local side\n',
    );
    // Changed messages carry neither \Flagged nor \Answered, so the counts below move by one each.
    const plain = (n: string) => !/:2,[A-Z]*[FR]/.test(n);
    const cur = (await readdir(join(inbox, 'cur'))).sort().filter(plain);
    const flagMe = cur[10]!;
    const deleteMe = cur[20]!;
    await rename(join(inbox, 'cur', flagMe), join(inbox, 'cur', flagMe.replace(/,([A-Z]*)$/, ',F$1')));
    await rename(join(inbox, 'cur', deleteMe), join(inbox, 'cur', deleteMe.replace(/,([A-Z]*)$/, ',$1T')));
    const answeredBefore = (await messageFiles(inbox)).filter((n) => /:2,[A-Z]*R/.test(n)).length;
    // Far side: an MTA delivery (tmp/ -> new/), a flag and an expunge through IMAP.
    const md = server.maildir!;
    const name = `${Math.floor(Date.now() / 1000)}.M1P1.farside`;
    await writeFile(join(md, 'tmp', name), 'From: mta@example.com\nSubject: delivered far\n\nby the MTA\n');
    await chown(join(md, 'tmp', name), server.user.system.uid, server.user.system.gid).catch(() => {});
    await rename(join(md, 'tmp', name), join(md, 'new', name));
    assert.equal((await imap.command('SELECT INBOX')).status, 'OK');
    const flags = await imap.command('FETCH 1:* (FLAGS)');
    const plainSeqs = flags.responses.flatMap((l) => {
      const m = /^\* (\d+) FETCH \(FLAGS \(([^)]*)\)\)/.exec(l);
      return m && !/\\(Flagged|Answered)/.test(m[2]!) ? [Number(m[1])] : [];
    });
    assert.equal((await imap.command(`STORE ${plainSeqs[400]} +FLAGS.SILENT (\\Answered)`)).status, 'OK');
    assert.equal((await imap.command(`STORE ${plainSeqs[600]} +FLAGS.SILENT (\\Deleted)`)).status, 'OK');
    assert.equal((await imap.command('EXPUNGE')).status, 'OK');
    const flaggedBefore = (await imap.command('SEARCH FLAGGED')).responses[0]!.trim().split(' ').length;
    assert.equal((await imap.command('CLOSE')).status, 'OK');

    const { counters } = await mbsync(tmp.path);
    // Pushed: the new message, the F flag and the deletion (T, then expunged far). Pulled: the
    // delivery, \Answered and the far expunge (T, then expunged near).
    assert.deepEqual(counters.far, { added: 1, flagged: 2, trashed: 0 });
    assert.deepEqual(counters.near, { added: 1, flagged: 2, trashed: 0 });

    assert.equal(await uidValidity(), validity);
    const near = await subjects(inbox);
    const far = await subjects(md);
    assert.equal(near.length, MESSAGES);
    assert.equal(far.length, MESSAGES);
    assert.deepEqual([...near].sort(), [...far].sort());
    assert.ok(near.includes('written near') && near.includes('delivered far'));
    // The local F reached the server; the server's \Answered reached the local file.
    assert.equal((await imap.command('EXAMINE INBOX')).status, 'OK');
    const flaggedAfter = (await imap.command('SEARCH FLAGGED')).responses[0]!.trim().split(' ').length;
    assert.equal(flaggedAfter, flaggedBefore + 1);
    const answered = (await messageFiles(inbox)).filter((n) => /:2,[A-Z]*R/.test(n)).length;
    assert.equal(answered, answeredBefore + 1);
    assert.equal((await imap.command('CLOSE')).status, 'OK');
  });

  test('a third run transfers nothing', async () => {
    const { counters, out } = await mbsync(tmp.path);
    const zero = { added: 0, flagged: 0, trashed: 0 };
    assert.deepEqual(counters.near, zero, out);
    assert.deepEqual(counters.far, zero, out);
  });
});
