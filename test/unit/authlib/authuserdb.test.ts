import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Authenticator, createAuthenticator, hmacPrecompute, md5Crypt } from '@courier-ts/authlib';
import { pino } from 'pino';

const log = pino({ level: 'silent' });
const isRoot = process.getuid?.() === 0;
let dir: string;
let auth: Authenticator;

const SYSTEMPW = md5Crypt(Buffer.from('systempass'), '$1$saltsalt');
const IMAPPW = md5Crypt(Buffer.from('imappass'), '$1$imapsalt');
const HMAC = hmacPrecompute('md5', Buffer.from('crampass'));
const IMAP_HMAC = hmacPrecompute('md5', Buffer.from('imapcram'));

function userdbText(extra = ''): string {
  return [
    '# test userdb',
    '',
    `alice@example.com\tuid=1000|gid=1001|home=/home/vmail/alice|mail=/home/vmail/alice/Maildir|systempw=${SYSTEMPW}|imappw=${IMAPPW}|hmac-md5pw=${HMAC}|imap-hmac-md5pw=${IMAP_HMAC}|quota=1000000S|gecos=Alice A|options=disablepop3=1`,
    `bob@example.com\tuid=1002|gid=1002|home=/home/vmail/bob|systempw=${SYSTEMPW}`,
    'nohome@example.com\tuid=1003|gid=1003|systempw=x',
    '1000=\talice@example.com',
    extra,
  ].join('\n');
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'authuserdb-'));
  writeFileSync(
    join(dir, 'authdaemonrc'),
    'authmodulelist="authuserdb"\nDEFAULTOPTIONS="disableshared=1,disablepop3=0"\n',
  );
  writeFileSync(join(dir, 'userdb'), userdbText(), { mode: 0o600 });
  auth = await createAuthenticator({ configDir: dir, env: {}, log });
});
after(async () => {
  await auth.close();
  rmSync(dir, { recursive: true, force: true });
});

const login = (user: string, password: string, service = 'login') =>
  auth.authenticate({ service, credentials: { mechanism: 'login', user, password } });

describe('authuserdb', () => {
  test('lookup returns the fields, uid/gid, merged options and no clear password', async () => {
    const o = await auth.lookup('login', 'alice@example.com');
    assert.equal(o.kind, 'ok');
    if (o.kind !== 'ok') return;
    const a = o.account;
    assert.equal(o.module, 'authuserdb');
    assert.deepEqual(
      [a.address, a.uid, a.gid, a.home, a.maildir, a.quota, a.fullName, a.systemUser, a.clearPassword],
      [
        'alice@example.com',
        1000,
        1001,
        '/home/vmail/alice',
        '/home/vmail/alice/Maildir',
        '1000000S',
        'Alice A',
        undefined,
        undefined,
      ],
    );
    assert.equal(a.encryptedPassword, SYSTEMPW);
    assert.equal(a.options.raw, 'disablepop3=1,disableshared=1');
    assert.equal(a.options.disablePop3, true);
    assert.equal(a.options.disableShared, true);
    assert.equal(a.options.disableImap, false);
  });
  test('service password first, systempw as fallback', async () => {
    assert.equal((await login('alice@example.com', 'imappass', 'imap')).kind, 'ok');
    assert.equal((await login('alice@example.com', 'systempass', 'imap')).kind, 'rejected');
    assert.equal((await login('alice@example.com', 'systempass', 'pop3')).kind, 'ok');
    const o = await login('alice@example.com', 'systempass');
    assert.equal(o.kind === 'ok' && o.account.clearPassword, 'systempass');
  });
  test('wrong password, unknown user, case difference and missing home are rejected', async () => {
    assert.equal((await login('alice@example.com', 'wrong')).kind, 'rejected');
    assert.equal((await login('nobody@example.com', 'systempass')).kind, 'rejected');
    assert.equal((await login('Alice@example.com', 'systempass')).kind, 'rejected');
    assert.equal((await login('nohome@example.com', 'x')).kind, 'rejected');
  });
  test('DEFAULTOPTIONS alone when the account has none', async () => {
    const o = await auth.lookup('login', 'bob@example.com');
    assert.equal(o.kind === 'ok' && o.account.options.raw, 'disableshared=1,disablepop3=0');
  });
  test('CRAM-MD5 with hmac-md5pw and the service-specific secret', async () => {
    const challenge = '<0123456789ABCDEF0123456789ABCDEF@mail.example.com>';
    const digest = (secret: string) =>
      execFileSync('openssl', ['dgst', '-md5', '-hmac', secret, '-r'], { input: challenge })
        .toString()
        .split(' ')[0]!;
    const cram = (service: string, response: string) =>
      auth.authenticate({
        service,
        credentials: { mechanism: 'cram-md5', user: 'alice@example.com', challenge, response },
      });
    assert.equal((await cram('login', digest('crampass'))).kind, 'ok');
    assert.equal((await cram('imap', digest('imapcram'))).kind, 'ok');
    assert.equal((await cram('imap', digest('crampass'))).kind, 'rejected');
    assert.equal((await cram('login', digest('wrong'))).kind, 'rejected');
    const noSecret = await auth.authenticate({
      service: 'login',
      credentials: { mechanism: 'cram-sha1', user: 'alice@example.com', challenge, response: '00' },
    });
    assert.equal(noSecret.kind, 'rejected');
  });
  test('enumerate lists the accounts (reverse entries skipped)', async () => {
    const names: string[] = [];
    for await (const e of auth.enumerate())
      names.push(`${e.name}:${e.uid}:${e.maildir ?? ''}:${e.options ?? ''}`);
    assert.deepEqual(names, [
      'alice@example.com:1000:/home/vmail/alice/Maildir:disablepop3=1',
      'bob@example.com:1002::',
    ]);
  });
  test('reloads when the file changes', async () => {
    const file = join(dir, 'userdb');
    writeFileSync(
      file,
      userdbText(`carol@example.com\tuid=1005|gid=1005|home=/h/carol|systempw=${SYSTEMPW}`),
      { mode: 0o600 },
    );
    const future = new Date(Date.now() + 5000);
    utimesSync(file, future, future);
    assert.equal((await login('carol@example.com', 'systempass')).kind, 'ok');
  });
  test('password change keeps the scheme and updates hmac secrets', async () => {
    assert.equal(await auth.changePassword('login', 'alice@example.com', 'wrong', 'x'), 'failed');
    assert.equal(await auth.changePassword('login', 'nobody@example.com', 'a', 'b'), 'failed');
    assert.equal(await auth.changePassword('login', 'alice@example.com', 'systempass', 'newpass'), 'ok');
    const o = await login('alice@example.com', 'newpass');
    assert.equal(o.kind, 'ok');
    assert.match(o.kind === 'ok' ? o.account.encryptedPassword! : '', /^\$1\$/);
    assert.equal((await login('alice@example.com', 'imappass', 'imap')).kind, 'ok', 'imappw untouched');
    assert.equal(await auth.changePassword('imap', 'alice@example.com', 'imappass', 'imap2'), 'ok');
    assert.equal((await login('alice@example.com', 'imap2', 'imap')).kind, 'ok');
    const pre = hmacPrecompute('md5', Buffer.from('imap2'));
    assert.match(readFileSync(join(dir, 'userdb'), 'utf8'), new RegExp(`\\|hmac-md5pw=${pre}`));
    assert.equal(statSync(join(dir, 'userdb')).mode & 0o777, 0o600);
  });
  test('a group- or world-readable userdb is refused', async () => {
    const file = join(dir, 'userdb');
    chmodSync(file, 0o640);
    try {
      assert.equal((await login('bob@example.com', 'systempass')).kind, 'rejected');
    } finally {
      chmodSync(file, 0o600);
    }
    assert.equal((await login('bob@example.com', 'systempass')).kind, 'ok');
  });
});

describe('authuserdb over a directory of files', () => {
  test('files read recursively, dotfiles skipped, modes checked', async () => {
    const d = mkdtempSync(join(tmpdir(), 'authuserdb-dir-'));
    try {
      const udb = join(d, 'userdb');
      mkdirSync(join(udb, 'example.org'), { recursive: true, mode: 0o700 });
      chmodSync(udb, 0o700);
      writeFileSync(
        join(udb, 'example.org', 'users'),
        `x@example.org\tuid=10|gid=10|home=/h|systempw=${SYSTEMPW}\n`,
        { mode: 0o600 },
      );
      writeFileSync(join(udb, '.hidden'), `y@example.org\tuid=10|gid=10|home=/h|systempw=${SYSTEMPW}\n`, {
        mode: 0o600,
      });
      writeFileSync(join(d, 'authdaemonrc'), 'authmodulelist="authuserdb"\n');
      const a = await createAuthenticator({ configDir: d, env: {}, log });
      const l = (user: string) =>
        a.authenticate({
          service: 'imap',
          credentials: { mechanism: 'login', user, password: 'systempass' },
        });
      assert.equal((await l('x@example.org')).kind, 'ok');
      assert.equal((await l('y@example.org')).kind, 'rejected');
      chmodSync(join(udb, 'example.org', 'users'), 0o604);
      assert.equal((await l('x@example.org')).kind, 'rejected');
      await a.close();
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});

void isRoot;
