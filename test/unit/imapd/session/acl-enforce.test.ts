// ACL enforcement against Courier's imapd 5.0.13: for each case the same maildir (INBOX, INBOX.f,
// INBOX.g, one message each) gets `-user=testuser <right>` in one folder's courierimapacl, and the
// same commands run through our session; `courier` is /usr/bin/imapd's transcript (AUTHENTICATED=testuser
// IMAP_ACL=1 IMAP_KEYWORDS=1), UIDVALIDITY and COPYUID/APPENDUID validity numbers masked.
import assert from 'node:assert/strict';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fixturesDir } from '../../../support/paths.js';
import { makeTempDir } from '../../../support/tmp.js';
import { runEngine } from './engine-helpers.js';

interface AclCase {
  readonly name: string;
  /** Folder directory holding the restricted courierimapacl ('' = the maildir root: INBOX). */
  readonly aclAt: string;
  readonly denied: string;
  readonly input: string;
  readonly courier: string;
}

const CASES: readonly AclCase[] = [
  {
    name: 'flags without s',
    aclAt: '.f/',
    denied: 's',
    input:
      'a SELECT INBOX.f\r\nb STORE 1 +FLAGS (\\Seen)\r\nc STORE 1 +FLAGS (\\Flagged kw)\r\nd STORE 1 +FLAGS (\\Deleted)\r\nf STORE 1 FLAGS (\\Flagged)\r\ng FETCH 1 (BODY[TEXT]<0.5>)\r\nh STORE 1 -FLAGS (\\Seen \\Flagged)\r\nk MYRIGHTS INBOX.f\r\nz LOGOUT\r\n',
    courier:
      '* FLAGS (\\Draft \\Answered \\Flagged \\Deleted \\Seen \\Recent)\r\n* OK [PERMANENTFLAGS (\\* \\Draft \\Answered \\Flagged \\Deleted \\Seen)] Limited\r\n* 1 EXISTS\r\n* 1 RECENT\r\n* OK [UIDVALIDITY X] Ok\r\n* OK [MYRIGHTS "acdilrw"] ACL\r\na OK [READ-WRITE] Ok\r\n* 1 FETCH (FLAGS (\\Recent))\r\nb OK STORE completed.\r\n* FLAGS (kw \\Draft \\Answered \\Flagged \\Deleted \\Seen \\Recent)\r\n* OK [PERMANENTFLAGS (kw \\* \\Draft \\Answered \\Flagged \\Deleted \\Seen)] Limited\r\n* 1 FETCH (FLAGS (\\Flagged \\Recent kw))\r\nc OK STORE completed.\r\n* 1 FETCH (FLAGS (\\Flagged \\Deleted \\Recent kw))\r\nd OK STORE completed.\r\n* 1 FETCH (FLAGS (\\Flagged \\Recent))\r\n* FLAGS (\\Draft \\Answered \\Flagged \\Deleted \\Seen \\Recent)\r\n* OK [PERMANENTFLAGS (\\* \\Draft \\Answered \\Flagged \\Deleted \\Seen)] Limited\r\nf OK STORE completed.\r\n* 1 FETCH (BODY[TEXT]<0> {5}\r\nHello)\r\ng OK FETCH completed.\r\n* 1 FETCH (FLAGS (\\Recent))\r\nh OK STORE completed.\r\n* MYRIGHTS "INBOX.f" "acdilrw"\r\nk OK MYRIGHTS completed.\r\n* BYE Courier-IMAP server shutting down\r\nz OK LOGOUT completed\r\n',
  },
  {
    name: 'flags and keywords without w',
    aclAt: '.f/',
    denied: 'w',
    input:
      'a SELECT INBOX.f\r\nb STORE 1 +FLAGS (\\Seen)\r\nc STORE 1 +FLAGS (\\Flagged kw)\r\nd STORE 1 +FLAGS (\\Deleted)\r\nf STORE 1 FLAGS (\\Flagged)\r\ng FETCH 1 (BODY[TEXT]<0.5>)\r\nz LOGOUT\r\n',
    courier:
      '* FLAGS (\\Draft \\Answered \\Flagged \\Deleted \\Seen \\Recent)\r\n* OK [PERMANENTFLAGS (\\* \\Draft \\Answered \\Flagged \\Deleted \\Seen)] Limited\r\n* 1 EXISTS\r\n* 1 RECENT\r\n* OK [UIDVALIDITY X] Ok\r\n* OK [MYRIGHTS "acdilrs"] ACL\r\na OK [READ-WRITE] Ok\r\n* 1 FETCH (FLAGS (\\Seen \\Recent))\r\nb OK STORE completed.\r\n* FLAGS (kw \\Draft \\Answered \\Flagged \\Deleted \\Seen \\Recent)\r\n* OK [PERMANENTFLAGS (kw \\* \\Draft \\Answered \\Flagged \\Deleted \\Seen)] Limited\r\n* 1 FETCH (FLAGS (\\Seen \\Recent))\r\n* FLAGS (\\Draft \\Answered \\Flagged \\Deleted \\Seen \\Recent)\r\n* OK [PERMANENTFLAGS (\\* \\Draft \\Answered \\Flagged \\Deleted \\Seen)] Limited\r\nc OK STORE completed.\r\n* 1 FETCH (FLAGS (\\Seen \\Deleted \\Recent))\r\nd OK STORE completed.\r\n* 1 FETCH (FLAGS (\\Recent))\r\nf OK STORE completed.\r\n* 1 FETCH (BODY[TEXT]<0> {5}\r\nHello)\r\n* 1 FETCH (FLAGS (\\Seen \\Recent))\r\ng OK FETCH completed.\r\n* BYE Courier-IMAP server shutting down\r\nz OK LOGOUT completed\r\n',
  },
  {
    name: '\\Deleted without t',
    aclAt: '.f/',
    denied: 't',
    input:
      'a SELECT INBOX.f\r\nb STORE 1 +FLAGS (\\Seen \\Deleted)\r\nc STORE 1 FLAGS (\\Flagged)\r\nd MYRIGHTS INBOX.f\r\nz LOGOUT\r\n',
    courier:
      '* FLAGS (\\Draft \\Answered \\Flagged \\Deleted \\Seen \\Recent)\r\n* OK [PERMANENTFLAGS (\\* \\Draft \\Answered \\Flagged \\Deleted \\Seen)] Limited\r\n* 1 EXISTS\r\n* 1 RECENT\r\n* OK [UIDVALIDITY X] Ok\r\n* OK [MYRIGHTS "aceilrswx"] ACL\r\na OK [READ-WRITE] Ok\r\n* 1 FETCH (FLAGS (\\Seen \\Recent))\r\nb OK STORE completed.\r\n* 1 FETCH (FLAGS (\\Flagged \\Recent))\r\nc OK STORE completed.\r\n* MYRIGHTS "INBOX.f" "acilrsw"\r\nd OK MYRIGHTS completed.\r\n* BYE Courier-IMAP server shutting down\r\nz OK LOGOUT completed\r\n',
  },
  {
    name: 'EXPUNGE and CLOSE without e',
    aclAt: '.f/',
    denied: 'e',
    input:
      'a SELECT INBOX.f\r\nb STORE 1 +FLAGS (\\Deleted)\r\nc EXPUNGE\r\nd UID EXPUNGE 1\r\ne CLOSE\r\nf SELECT INBOX.f\r\nz LOGOUT\r\n',
    courier:
      '* FLAGS (\\Draft \\Answered \\Flagged \\Deleted \\Seen \\Recent)\r\n* OK [PERMANENTFLAGS (\\* \\Draft \\Answered \\Flagged \\Deleted \\Seen)] Limited\r\n* 1 EXISTS\r\n* 1 RECENT\r\n* OK [UIDVALIDITY X] Ok\r\n* OK [MYRIGHTS "acilrstwx"] ACL\r\na OK [READ-WRITE] Ok\r\n* 1 FETCH (FLAGS (\\Deleted \\Recent))\r\nb OK STORE completed.\r\nc NO Access denied for EXPUNGE on current mailbox (ACL "e" required)\r\nd NO Access denied for EXPUNGE on current mailbox (ACL "e" required)\r\ne OK mailbox closed.\r\n* FLAGS (\\Draft \\Answered \\Flagged \\Deleted \\Seen \\Recent)\r\n* OK [PERMANENTFLAGS (\\* \\Draft \\Answered \\Flagged \\Deleted \\Seen)] Limited\r\n* 1 EXISTS\r\n* 0 RECENT\r\n* OK [UIDVALIDITY X] Ok\r\n* OK [MYRIGHTS "acilrstwx"] ACL\r\nf OK [READ-WRITE] Ok\r\n* BYE Courier-IMAP server shutting down\r\nz OK LOGOUT completed\r\n',
  },
  {
    name: 'APPEND and COPY without i',
    aclAt: '.f/',
    denied: 'i',
    input:
      'a APPEND INBOX.f {3}\r\nabc\r\nb SELECT INBOX\r\nc COPY 1 INBOX.f\r\nd APPEND INBOX.g {3}\r\nabc\r\ne APPEND INBOX.nope {3}\r\nabc\r\nz LOGOUT\r\n',
    courier:
      'a NO Access denied for APPEND on INBOX.f (ACL "i" required)\r\nabc NO Error in IMAP command received by server.\r\n* FLAGS (\\Draft \\Answered \\Flagged \\Deleted \\Seen \\Recent)\r\n* OK [PERMANENTFLAGS (\\* \\Draft \\Answered \\Flagged \\Deleted \\Seen)] Limited\r\n* 1 EXISTS\r\n* 1 RECENT\r\n* OK [UIDVALIDITY X] Ok\r\n* OK [MYRIGHTS "acdilrsw"] ACL\r\nb OK [READ-WRITE] Ok\r\nc NO Access denied for COPY on INBOX.f (ACL "i" required)\r\n+ OK\r\nd OK [APPENDUID X 1] APPEND Ok.\r\ne NO [TRYCREATE] Must create mailbox before append\r\nabc NO Error in IMAP command received by server.\r\n* BYE Courier-IMAP server shutting down\r\nz OK LOGOUT completed\r\n',
  },
  {
    name: 'CREATE and RENAME without c on the parent',
    aclAt: '.f/',
    denied: 'c',
    input:
      'a CREATE INBOX.f.sub\r\nb CREATE INBOX.f.sub2.x\r\nc RENAME INBOX.g INBOX.f.h\r\nd CREATE INBOX.g.ok\r\nz LOGOUT\r\n',
    courier:
      'a NO Access denied for CREATE on INBOX.f (ACL "c" required)\r\nb NO Access denied for CREATE on INBOX.f.sub2 (ACL "c" required)\r\nc NO Access denied for RENAME on INBOX.f (ACL "c" required)\r\nd OK "INBOX.g.ok" created.\r\n* BYE Courier-IMAP server shutting down\r\nz OK LOGOUT completed\r\n',
  },
  {
    name: 'CREATE without c on INBOX',
    aclAt: '',
    denied: 'c',
    input:
      'a CREATE INBOX.new\r\nb CREATE INBOX.f.sub\r\nc DELETE INBOX.g\r\nd RENAME INBOX.f INBOX.h\r\nz LOGOUT\r\n',
    courier:
      'a NO Access denied for CREATE on INBOX (ACL "c" required)\r\nb NO Access denied for CREATE on INBOX.f (ACL "c" required)\r\nc OK Folder deleted.\r\nd NO Access denied for RENAME on INBOX (ACL "c" required)\r\n* BYE Courier-IMAP server shutting down\r\nz OK LOGOUT completed\r\n',
  },
  {
    name: 'DELETE and RENAME without x',
    aclAt: '.g/',
    denied: 'x',
    input:
      'a DELETE INBOX.g\r\nb RENAME INBOX.g INBOX.h\r\nc RENAME INBOX.f INBOX.g.sub\r\nd DELETE inbox.g\r\nz LOGOUT\r\n',
    courier:
      'a NO Access denied for DELETE on INBOX.g (ACL "x" required)\r\nb NO Access denied for RENAME on INBOX.g (ACL "x" required)\r\nc OK Folder renamed.\r\nd NO Access denied for DELETE on inbox.g (ACL "x" required)\r\n* BYE Courier-IMAP server shutting down\r\nz OK LOGOUT completed\r\n',
  },
  {
    name: 'SETACL without a',
    aclAt: '.g/',
    denied: 'a',
    input:
      'a SETACL INBOX.g anyone l\r\nb GETACL INBOX.g\r\nc MYRIGHTS INBOX.g\r\nd DELETEACL INBOX.g anyone\r\nz LOGOUT\r\n',
    courier:
      'a NO Cannot modify ACLs on this mailbox.\r\n* ACL "INBOX.g" "owner" "acdilrsw" "administrators" "acdilrsw" "-testuser" "a"\r\nb OK GETACL completed.\r\n* MYRIGHTS "INBOX.g" "acdilrsw"\r\nc OK MYRIGHTS completed.\r\nd NO Cannot modify ACLs on this mailbox.\r\n* BYE Courier-IMAP server shutting down\r\nz OK LOGOUT completed\r\n',
  },
  {
    name: 'SELECT, EXAMINE, STATUS without r',
    aclAt: '.g/',
    denied: 'r',
    input:
      'a GETACL INBOX.g\r\nb SELECT INBOX.g\r\nc EXAMINE inbox.g\r\nd STATUS INBOX.g (MESSAGES)\r\ne SELECT INBOX\r\nf COPY 1 INBOX.g\r\ng SELECT INBOX.nope\r\nz LOGOUT\r\n',
    courier:
      '* ACL "INBOX.g" "owner" "acdilrsw" "administrators" "acdilrsw" "-testuser" "r"\r\na OK GETACL completed.\r\nb NO Access denied for SELECT/EXAMINE on INBOX.g (ACL "r" required)\r\nc NO Access denied for SELECT/EXAMINE on inbox.g (ACL "r" required)\r\nd NO Access denied for STATUS on INBOX.g (ACL "r" required)\r\n* FLAGS (\\Draft \\Answered \\Flagged \\Deleted \\Seen \\Recent)\r\n* OK [PERMANENTFLAGS (\\* \\Draft \\Answered \\Flagged \\Deleted \\Seen)] Limited\r\n* 1 EXISTS\r\n* 1 RECENT\r\n* OK [UIDVALIDITY X] Ok\r\n* OK [MYRIGHTS "acdilrsw"] ACL\r\ne OK [READ-WRITE] Ok\r\nf OK [COPYUID X 1 1] COPY completed.\r\ng NO Mailbox does not exist, or must be subscribed to.\r\n* BYE Courier-IMAP server shutting down\r\nz OK LOGOUT completed\r\n',
  },
  {
    name: 'SETACL on the selected folder',
    aclAt: '.g/',
    denied: 'l',
    input:
      'a SELECT INBOX.f\r\nb SETACL INBOX.f -testuser sw\r\nc STORE 1 +FLAGS (\\Flagged \\Seen)\r\nd SETACL INBOX.f -testuser e\r\ne EXPUNGE\r\nf MYRIGHTS INBOX.f\r\ng SETACL INBOX.f -owner w\r\nh SETACL INBOX.f -administrators w\r\ni SETACL INBOX.f -anyone w\r\nj SETACL INBOX.f - r\r\nk GETACL INBOX.f\r\nz LOGOUT\r\n',
    courier:
      '* FLAGS (\\Draft \\Answered \\Flagged \\Deleted \\Seen \\Recent)\r\n* OK [PERMANENTFLAGS (\\* \\Draft \\Answered \\Flagged \\Deleted \\Seen)] Limited\r\n* 1 EXISTS\r\n* 1 RECENT\r\n* OK [UIDVALIDITY X] Ok\r\n* OK [MYRIGHTS "acdilrsw"] ACL\r\na OK [READ-WRITE] Ok\r\n* OK [MYRIGHTS "acdilr"] ACL\r\nb OK ACLs updated.\r\n* 1 FETCH (FLAGS (\\Recent))\r\nc OK STORE completed.\r\n* OK [MYRIGHTS "acilrstwx"] ACL\r\nd OK ACLs updated.\r\ne NO Access denied for EXPUNGE on current mailbox (ACL "e" required)\r\n* MYRIGHTS "INBOX.f" "acilrsw"\r\nf OK MYRIGHTS completed.\r\n* OK [MYRIGHTS "acilrstx"] ACL\r\ng OK ACLs updated.\r\nh NO Cannot modify ACLs on this mailbox.\r\ni NO Cannot modify ACLs on this mailbox.\r\nj OK ACLs updated.\r\n* ACL "INBOX.f" "owner" "acdilrsw" "administrators" "acdilrsw" "-testuser" "" "-owner" "w" "-" "r"\r\nk OK GETACL completed.\r\n* BYE Courier-IMAP server shutting down\r\nz OK LOGOUT completed\r\n',
  },
  {
    name: 'SETACL must leave the user a and l',
    aclAt: '.g/',
    denied: 'a',
    input:
      'a SETACL INBOX.f -owner w\r\nb SETACL INBOX.f anyone l\r\nc SETACL INBOX.f bob r\r\nd SETACL INBOX.f -owner +r\r\ne DELETEACL INBOX.f bob\r\nf DELETEACL INBOX.f -owner\r\ng SETACL INBOX.f -owner lr\r\nh SETACL INBOX.f -bob x\r\ni SETACL INBOX.f -testuser a\r\nj SETACL INBOX.f -owner l\r\nk GETACL INBOX.f\r\nl DELETEACL INBOX.g -testuser\r\nm GETACL INBOX.g\r\nz LOGOUT\r\n',
    courier:
      'a OK ACLs updated.\r\nb OK ACLs updated.\r\nc OK ACLs updated.\r\nd OK ACLs updated.\r\ne OK ACLs updated.\r\nf OK ACLs updated.\r\ng NO Cannot modify ACLs on this mailbox.\r\nh OK ACLs updated.\r\ni NO Cannot modify ACLs on this mailbox.\r\nj NO Cannot modify ACLs on this mailbox.\r\n* ACL "INBOX.f" "owner" "acdilrsw" "administrators" "acdilrsw" "anyone" "l" "-bob" ""\r\nk OK GETACL completed.\r\nl OK ACLs updated.\r\n* ACL "INBOX.g" "owner" "acdilrsw" "administrators" "acdilrsw"\r\nm OK GETACL completed.\r\n* BYE Courier-IMAP server shutting down\r\nz OK LOGOUT completed\r\n',
  },
];

const MESSAGE = join(fixturesDir, 'imapd', 'mime', 'simple-text.eml');

function mask(text: string): string {
  return text.replace(/(UIDVALIDITY|COPYUID|APPENDUID) \d+/g, '$1 X');
}

let tmp: { path: string; dispose(): Promise<void> };
before(async () => {
  tmp = await makeTempDir('courier-ts-imapd-acl-');
});
after(() => tmp.dispose());

async function fixture(c: AclCase, n: number): Promise<string> {
  const root = join(tmp.path, `fixture${n}`);
  for (const dir of ['', '.f/', '.g/']) {
    await mkdir(join(root, dir, 'cur'), { recursive: true });
    await copyFile(MESSAGE, join(root, dir, 'cur', '1700000001.M1P1.a:2,'));
  }
  const acl = `owner aceilrstwx\nadministrators aceilrstwx\n-user=testuser ${c.denied}\n`;
  await writeFile(join(root, c.aclAt, 'courierimapacl'), acl);
  return root;
}

describe('ACL rights enforced as Courier', () => {
  CASES.forEach((c, n) => {
    test(c.name, async () => {
      const env = { IMAP_ACL: '1', IMAP_KEYWORDS: '1' };
      const { output } = await runEngine(c.input, 'whole', env, await fixture(c, n));
      assert.equal(mask(output.slice(output.indexOf('\r\n') + 2)), c.courier);
    });
  });

  test('enforced with IMAP_ACL off too (only the capability goes)', async () => {
    const c = CASES.find((x) => x.denied === 'r')!;
    const root = await fixture(c, 99);
    const { output } = await runEngine('b SELECT INBOX.g\r\n', 'whole', { IMAP_ACL: '0' }, root);
    assert.match(output, /\r\nb NO Access denied for SELECT\/EXAMINE on INBOX\.g \(ACL "r" required\)\r\n/);
  });
});

/** Courier's LIST replies (sorted: Courier lists in directory order) with folders lacking `l`. */
const LIST_CASES: readonly { aclAt: string; input: string; courier: readonly string[] }[] = [
  {
    aclAt: '.g/',
    input: 'a LIST "" "*"\r\nb LIST "" "INBOX.%"\r\n',
    courier: [
      '* LIST (\\HasNoChildren) "." "INBOX.g.sub"',
      '* LIST (\\HasNoChildren) "." "INBOX.h.sub"',
      '* LIST (\\Unmarked \\HasChildren) "." "INBOX"',
      '* LIST (\\HasNoChildren) "." "INBOX.f"',
      '* LIST (\\Noselect \\HasChildren) "." "INBOX.g"',
      '* LIST (\\Noselect \\HasChildren) "." "INBOX.h"',
      'a OK LIST completed',
      '* LIST (\\HasNoChildren) "." "INBOX.f"',
      '* LIST (\\Noselect \\HasChildren) "." "INBOX.g"',
      '* LIST (\\Noselect \\HasChildren) "." "INBOX.h"',
      'b OK LIST completed',
    ],
  },
  {
    aclAt: '',
    input: 'a LIST "" "*"\r\n',
    courier: [
      '* LIST (\\HasNoChildren) "." "INBOX.g.sub"',
      '* LIST (\\Noselect \\HasChildren) "." "INBOX.g"',
      '* LIST (\\Noselect \\HasChildren) "." "INBOX"',
      'a OK LIST completed',
    ],
  },
];

/** Sorts the untagged lines of each command, keeping the tagged line after them. */
function sortedReplies(lines: readonly string[]): string[] {
  const out: string[] = [];
  let group: string[] = [];
  for (const l of lines) {
    if (l.startsWith('* ')) group.push(l);
    else {
      out.push(...group.sort(), l);
      group = [];
    }
  }
  return out;
}

describe('LIST hides folders without l as Courier', () => {
  LIST_CASES.forEach((c, n) => {
    test(`-user l at ${c.aclAt || 'INBOX'}`, async () => {
      // INBOX (empty), INBOX.f, INBOX.g, INBOX.g.sub (own full ACL), INBOX.h.sub (no INBOX.h).
      const root = join(tmp.path, `list${n}`);
      for (const dir of ['', '.f/', '.g/', '.g.sub/', '.h.sub/'])
        await mkdir(join(root, dir, 'cur'), { recursive: true });
      await writeFile(
        join(root, '.g.sub', 'courierimapacl'),
        'owner aceilrstwx\nadministrators aceilrstwx\n',
      );
      const acl = 'owner aceilrstwx\nadministrators aceilrstwx\n-user=testuser l\n';
      await writeFile(join(root, c.aclAt, 'courierimapacl'), acl);
      const { output } = await runEngine(c.input, 'whole', { IMAP_ACL: '1' }, root);
      const lines = output.split('\r\n').slice(1, 1 + c.courier.length);
      assert.deepEqual(sortedReplies(lines), sortedReplies(c.courier));
    });
  });
});
