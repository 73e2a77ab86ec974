// The LIST / STATUS memo: values kept while the disk is unchanged, and never stale after a change made
// behind its back (another process writing the files, or another session of the same process).
import assert from 'node:assert/strict';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createImapSessionMain, imapRegistry } from '@courier-ts/imapd';
import { openMaildir } from '@courier-ts/maildir';
import { createMaildir } from '../../../support/maildir-fixture.js';
import { repoRoot } from '../../../support/paths.js';
import { makeTempDir, type TempDir } from '../../../support/tmp.js';
import { type CommandSession, openCommandSession } from './engine-helpers.js';

// Not part of the package API: loaded from the build by path, typed from the sources.
const dist = (rel: string) => pathToFileURL(join(repoRoot, 'packages', 'imapd', 'dist', 'session', rel)).href;
const { MailboxMemo } = (await import(
  dist('mailbox-memo.js')
)) as typeof import('../../../../packages/imapd/src/session/mailbox-memo.js');
const { WatchedValue } = (await import(
  dist('watched-value.js')
)) as typeof import('../../../../packages/imapd/src/session/watched-value.js');

async function withMaildir(fn: (root: string, tmp: TempDir) => Promise<void>): Promise<void> {
  const tmp = await makeTempDir('courier-ts-imapd-memo-');
  try {
    const root = join(tmp.path, 'Maildir');
    await createMaildir(root, { fixture: 'basic' });
    await makeFolder(root, 'Sent');
    await fn(root, tmp);
  } finally {
    await tmp.dispose();
  }
}

async function makeFolder(root: string, name: string): Promise<void> {
  for (const d of ['cur', 'new', 'tmp']) await mkdir(join(root, `.${name}`, d), { recursive: true });
  await writeFile(join(root, `.${name}`, 'maildirfolder'), '');
}

let serial = 0;
/** A message file written straight into a folder directory, as a delivery agent does. */
async function deliver(dir: string, sub: 'new' | 'cur', info = ''): Promise<string> {
  const name = `17000${String(++serial).padStart(5, '0')}.M${serial}P1.memotest,S=20${info}`;
  await writeFile(join(dir, sub, name), 'Subject: x\n\nbody\n');
  return name;
}

describe('WatchedValue', () => {
  test('kept while the directory is quiet, read again after any change in it', async () => {
    const tmp = await makeTempDir('courier-ts-imapd-watched-');
    try {
      const v = new WatchedValue<string[]>();
      let loads = 0;
      const load = () =>
        v.get(async (watch) => {
          loads++;
          assert.equal(watch(tmp.path), true);
          return readdir(tmp.path);
        });
      assert.deepEqual(await load(), []);
      assert.deepEqual(await load(), []);
      assert.equal(loads, 1, 'the second get is answered from memory');
      await writeFile(join(tmp.path, 'a'), 'x');
      assert.deepEqual(await load(), ['a'], 'no stale value right after the write');
      assert.equal(loads, 2);
      await rename(join(tmp.path, 'a'), join(tmp.path, 'b'));
      assert.deepEqual(await load(), ['b']);
      await writeFile(join(tmp.path, 'b'), 'changed in place');
      await load();
      assert.equal(loads, 4, 'a modification in place counts too');
    } finally {
      await tmp.dispose();
    }
  });

  test('a value is not kept when a required directory cannot be watched, or changed while loading', async () => {
    const tmp = await makeTempDir('courier-ts-imapd-watched-');
    try {
      const v = new WatchedValue<number>();
      let loads = 0;
      const missing = () =>
        v.get(async (watch) => {
          loads++;
          assert.equal(watch(join(tmp.path, 'nope')), false);
          return 1;
        });
      await missing();
      await missing();
      assert.equal(loads, 2, 'nothing kept without its watch');
      const optional = () =>
        v.get(async (watch) => {
          loads++;
          watch(tmp.path);
          assert.equal(watch(join(tmp.path, 'nope'), { optional: true }), false);
          return 2;
        });
      await optional();
      await optional();
      assert.equal(loads, 3, 'a missing optional directory does not prevent keeping');
      v.invalidate();
      const racing = () =>
        v.get(async (watch) => {
          loads++;
          watch(tmp.path);
          await writeFile(join(tmp.path, `f${loads}`), 'x'); // a change while reading
          await new Promise((r) => setTimeout(r, 20));
          return loads;
        });
      await racing();
      await racing();
      assert.equal(loads, 5, 'a value read during a change is not kept');
    } finally {
      await tmp.dispose();
    }
  });
});

describe('MaildirMemo', () => {
  test('STATUS follows deliveries, flag renames and expunges made behind its back', async () => {
    await withMaildir(async (root) => {
      const md = await openMaildir(root);
      const memo = new MailboxMemo().of(md);
      const sent = join(root, '.Sent');
      const status = async () => (await memo.view()).status('INBOX.Sent');
      assert.equal((await status()).messages, 0);
      assert.equal((await status()).messages, 0); // the first one made the keyword directory
      assert.deepEqual((await memo.view()).keptStatus('INBOX.Sent')?.messages, 0, 'kept');
      const a = await deliver(sent, 'cur', ':2,');
      assert.equal((await memo.view()).keptStatus('INBOX.Sent'), undefined, 'dropped by the delivery');
      let st = await status();
      assert.equal(st.messages, 1);
      assert.equal(st.unseen, 1);
      await rename(join(sent, 'cur', a), join(sent, 'cur', `${a}S`));
      st = await status();
      assert.equal(st.unseen, 0, 'the \\Seen rename is seen');
      await deliver(sent, 'new');
      st = await status();
      assert.deepEqual([st.messages, st.unseen], [2, 1]);
      assert.deepEqual(st, await md.status('INBOX.Sent'));
      await rm(join(sent, 'cur', `${a}S`));
      assert.equal((await status()).messages, 1, 'the expunge is seen');
      // Each STATUS matches a fresh read of the disk.
      assert.deepEqual(await status(), await md.status('INBOX.Sent'));
    });
  });

  test('the folder list, the ACLs and INBOX new mail follow the disk', async () => {
    await withMaildir(async (root) => {
      const md = await openMaildir(root);
      const memo = new MailboxMemo().of(md);
      const names = async () => (await (await memo.view()).listFolders()).map((f) => f.name);
      assert.deepEqual(await names(), ['INBOX', 'INBOX.Sent']);
      await makeFolder(root, 'Later');
      assert.deepEqual((await names()).sort(), ['INBOX', 'INBOX.Later', 'INBOX.Sent']);
      await rm(join(root, '.Later'), { recursive: true });
      assert.deepEqual(await names(), ['INBOX', 'INBOX.Sent']);

      const acl = async () => (await memo.view()).readAcl('INBOX.Sent');
      const before = await acl();
      assert.equal(before, await md.readAcl('INBOX.Sent'));
      await writeFile(join(root, '.Sent', 'courierimapacl.tmp'), 'owner aceilrstwx\nbob lr\n');
      await rename(join(root, '.Sent', 'courierimapacl.tmp'), join(root, '.Sent', 'courierimapacl'));
      assert.match(await acl(), /bob lr/, 'a new ACL file is read');
      await writeFile(join(root, '.Sent', 'courierimapacl'), 'owner aceilrstwx\ncarol lr\n');
      assert.match(await acl(), /carol lr/, 'an ACL edited in place is read');

      const inbox = async () => {
        const v = await memo.view();
        const e = (await v.listFolders()).find((f) => f.name === 'INBOX')!;
        return v.inboxHasNewMail(e);
      };
      assert.equal(await inbox(), true, 'the fixture has a message in new/');
      for (const n of await readdir(join(root, 'new')))
        await rename(join(root, 'new', n), join(root, 'cur', `${n}:2,S`));
      for (const n of await readdir(join(root, 'cur')))
        if (!/:2,.*S/.test(n))
          await rename(join(root, 'cur', n), join(root, 'cur', `${n.replace(/:2,.*/, '')}:2,S`));
      assert.equal(await inbox(), false, 'all seen');
      await deliver(root, 'new');
      assert.equal(await inbox(), true, 'new mail again');
    });
  });
});

/** Sessions sharing one session main (one process's memo), over in-memory streams. */
function sessions(root: string): () => CommandSession {
  const main = createImapSessionMain({ registry: imapRegistry() });
  return () => openCommandSession(root, main);
}

describe('LIST and STATUS through the memo', () => {
  test('one session sees at once what another session of the process changed', async () => {
    await withMaildir(async (root) => {
      const open = sessions(root);
      const a = open();
      const b = open();
      try {
        assert.match(
          await a.command('STATUS INBOX.Sent (MESSAGES UNSEEN UIDNEXT)'),
          /MESSAGES 0 UIDNEXT 1 UNSEEN 0\)/,
        );
        await b.command('APPEND INBOX.Sent {20}\r\nSubject: x\r\n\r\nbody\r\n');
        assert.match(
          await a.command('STATUS INBOX.Sent (MESSAGES UNSEEN UIDNEXT)'),
          /MESSAGES 1 UIDNEXT 2 UNSEEN 1\)/,
        );
        await b.command('SELECT INBOX.Sent');
        await b.command('STORE 1 +FLAGS (\\Seen)');
        assert.match(await a.command('STATUS INBOX.Sent (UNSEEN)'), /UNSEEN 0\)/);
        await b.command('STORE 1 +FLAGS (\\Deleted)');
        await b.command('EXPUNGE');
        assert.match(await a.command('STATUS INBOX.Sent (MESSAGES UIDNEXT)'), /MESSAGES 0 UIDNEXT 2\)/);

        assert.doesNotMatch(await a.command('LIST "" "*"'), /Drafts/);
        await b.command('CREATE INBOX.Drafts');
        assert.match(await a.command('LIST "" "*"'), /LIST \(\\HasNoChildren\) "\." "INBOX\.Drafts"/);
        // Another process (Courier's imapd, an admin) replaces the folder's ACL file.
        const setAcl = async (rights: string) => {
          const dir = join(root, '.Drafts');
          await writeFile(join(dir, 'tmp', 'acl'), `owner ${rights}\n`);
          await rename(join(dir, 'tmp', 'acl'), join(dir, 'courierimapacl'));
        };
        await setAcl('aceirstwx');
        assert.doesNotMatch(await a.command('LIST "" "*"'), /Drafts/, 'no l right: not listed');
        assert.match(
          await a.command('STATUS INBOX.Drafts (MESSAGES)'),
          /STATUS "INBOX\.Drafts" \(MESSAGES 0\)/,
        );
        await setAcl('aceilstwx');
        assert.match(await a.command('LIST "" "*"'), /INBOX\.Drafts/);
        assert.match(await a.command('STATUS INBOX.Drafts (MESSAGES)'), /NO .*ACL/i, 'no r right');
        await setAcl('aceilrstwx');
        await b.command('DELETE INBOX.Drafts');
        assert.match(await a.command('STATUS INBOX.Drafts (MESSAGES)'), /NO Mailbox does not exist/);
        assert.doesNotMatch(await a.command('LIST "" "*"'), /Drafts/);
      } finally {
        await a.close();
        await b.close();
      }
    });
  });

  test('the same replies as a session without a memo, for a changing maildir', async () => {
    await withMaildir(async (root) => {
      const a = sessions(root)();
      try {
        const script = async (): Promise<string[]> => [
          await a.command('LIST "" "*"'),
          await a.command('STATUS INBOX (MESSAGES RECENT UNSEEN UIDNEXT UIDVALIDITY)'),
          await a.command('STATUS INBOX.Sent (MESSAGES RECENT UNSEEN UIDNEXT UIDVALIDITY)'),
        ];
        const reference = async (): Promise<string[]> => {
          const fresh = sessions(root)(); // its own memo: reads the disk
          try {
            return [
              await fresh.command('LIST "" "*"'),
              await fresh.command('STATUS INBOX (MESSAGES RECENT UNSEEN UIDNEXT UIDVALIDITY)'),
              await fresh.command('STATUS INBOX.Sent (MESSAGES RECENT UNSEEN UIDNEXT UIDVALIDITY)'),
            ];
          } finally {
            await fresh.close();
          }
        };
        const tagless = (l: string[]) =>
          l.map((s) => s.replace(/^\* PREAUTH.*\r\n/, '').replace(/^t\d+ /gm, 't '));
        // Both folders get their courierimapuiddb first: without one, STATUS answers a UIDVALIDITY of
        // the current second that nothing keeps (Courier 5.0.13 too), so two reads may differ by one.
        await a.command('SELECT INBOX.Sent');
        await a.command('SELECT INBOX');
        await a.command('CLOSE');
        for (const change of [
          async () => {},
          async () => void (await deliver(join(root, '.Sent'), 'new')),
          async () => void (await deliver(root, 'cur', ':2,S')),
          async () => makeFolder(root, 'Other'),
          async () => rm(join(root, '.Other'), { recursive: true }),
        ]) {
          await change();
          assert.deepEqual(tagless(await script()), tagless(await reference()));
        }
      } finally {
        await a.close();
      }
    });
  });
});
