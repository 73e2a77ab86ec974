// authpam and authshadow against a real system account created here (root only): useradd + chpasswd
// write a real /etc/shadow entry (yescrypt on Debian 12), PAM runs through the native addon.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Authenticator, createAuthenticator, createPasswordService } from '@courier-ts/authlib';
import { pino } from 'pino';

const log = pino({ level: 'silent' });
const isRoot = process.getuid?.() === 0;
const probe = createPasswordService({ log });
const native = probe.native;
await probe.close();
const skip = !isRoot
  ? 'needs root (useradd, chpasswd)'
  : !native
    ? 'native addon not built (libpam0g-dev)'
    : false;

const USER = `ctspam${process.pid % 100000}`;
const PASS = 'Pam-Test pass 1';
let confDir: string;
let cfgDir: string;
let pamSystem: Authenticator;
let pamPrivate: Authenticator;
let shadow: Authenticator;

describe('authpam / authshadow with a real system user', { skip }, () => {
  before(async () => {
    spawnSync('userdel', [USER]);
    execFileSync('useradd', [
      '-M',
      '-d',
      '/nonexistent',
      '-s',
      '/usr/sbin/nologin',
      '-c',
      'Pam Test,,,',
      USER,
    ]);
    execFileSync('chpasswd', [], { input: `${USER}:${PASS}\n` });
    confDir = mkdtempSync(join(tmpdir(), 'authpam-conf-'));
    writeFileSync(
      join(confDir, 'ctsimap'),
      'auth required pam_unix.so\naccount required pam_unix.so\npassword required pam_unix.so yescrypt\n',
    );
    writeFileSync(join(confDir, 'ctsdeny'), 'auth required pam_unix.so\naccount required pam_deny.so\n');
    const cfg = mkdtempSync(join(tmpdir(), 'authpam-cfg-'));
    cfgDir = cfg;
    pamSystem = await createAuthenticator({ configDir: cfg, env: {}, log, modules: ['authpam'] });
    pamPrivate = await createAuthenticator({
      configDir: cfg,
      env: {},
      log,
      modules: ['authpam'],
      pamConfDir: confDir,
    });
    shadow = await createAuthenticator({ configDir: cfg, env: {}, log, modules: ['authshadow'] });
  });
  after(async () => {
    await pamSystem?.close();
    await pamPrivate?.close();
    await shadow?.close();
    spawnSync('userdel', [USER]);
    if (confDir) rmSync(confDir, { recursive: true, force: true });
    if (cfgDir) rmSync(cfgDir, { recursive: true, force: true });
  });

  const login = (a: Authenticator, service: string, password: string) =>
    a.authenticate({
      service,
      credentials: { mechanism: 'login', user: USER, password },
      remoteIp: '::ffff:192.0.2.7',
    });

  test('chpasswd wrote a yescrypt hash', () => {
    const line = readFileSync('/etc/shadow', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${USER}:`))!;
    assert.match(line.split(':')[1]!, /^\$y\$/);
  });
  test('system PAM config (service imap): right password ok, wrong rejected', async () => {
    const ok = await login(pamSystem, 'imap', PASS);
    assert.equal(ok.kind, 'ok');
    if (ok.kind === 'ok') {
      assert.equal(ok.module, 'authpam');
      assert.equal(ok.account.systemUser, USER);
      assert.equal(ok.account.fullName, 'Pam Test');
      assert.equal(ok.account.clearPassword, PASS);
      assert.equal(ok.account.uid, Number(execFileSync('id', ['-u', USER]).toString()));
    }
    assert.equal((await login(pamSystem, 'imap', 'wrong')).kind, 'rejected');
  });
  test('private PAM config dir (pam_start_confdir)', async () => {
    assert.equal((await login(pamPrivate, 'ctsimap', PASS)).kind, 'ok');
    assert.equal((await login(pamPrivate, 'ctsimap', `${PASS}x`)).kind, 'rejected');
    // pam_authenticate passes, pam_acct_mgmt (pam_deny) refuses.
    assert.equal((await login(pamPrivate, 'ctsdeny', PASS)).kind, 'rejected');
  });
  test('authshadow verifies the real yescrypt /etc/shadow entry', async () => {
    assert.equal((await login(shadow, 'imap', PASS)).kind, 'ok');
    assert.equal((await login(shadow, 'imap', 'wrong')).kind, 'rejected');
  });
  test('locked (usermod -L) and expired (chage -E 1) accounts are refused', async () => {
    execFileSync('usermod', ['-L', USER]);
    try {
      assert.equal((await login(pamPrivate, 'ctsimap', PASS)).kind, 'rejected');
      assert.equal((await login(shadow, 'imap', PASS)).kind, 'rejected');
    } finally {
      execFileSync('usermod', ['-U', USER]);
    }
    execFileSync('chage', ['-E', '1', USER]);
    try {
      assert.equal((await login(pamPrivate, 'ctsimap', PASS)).kind, 'rejected');
      assert.equal((await login(shadow, 'imap', PASS)).kind, 'rejected');
    } finally {
      execFileSync('chage', ['-E', '-1', USER]);
    }
    assert.equal((await login(pamPrivate, 'ctsimap', PASS)).kind, 'ok');
  });
  test('password change through PAM (pam_chauthtok), old password checked first', async () => {
    const NEW = 'Changed pass 2';
    assert.equal(await pamPrivate.changePassword('ctsimap', USER, 'wrong', NEW), 'failed');
    assert.equal(await pamPrivate.changePassword('ctsimap', USER, PASS, NEW), 'ok');
    assert.equal((await login(pamPrivate, 'ctsimap', NEW)).kind, 'ok');
    assert.equal((await login(pamPrivate, 'ctsimap', PASS)).kind, 'rejected');
    assert.equal((await login(shadow, 'imap', NEW)).kind, 'ok', 'shadow entry rewritten');
    assert.equal(await pamPrivate.changePassword('ctsimap', USER, NEW, PASS), 'ok');
    assert.equal((await login(pamPrivate, 'ctsimap', PASS)).kind, 'ok');
    assert.equal(await pamPrivate.changePassword('ctsimap', 'no-such-user-x', 'a', 'b'), 'failed');
  });
  test('20 failing PAM logins in parallel do not stall the event loop', async () => {
    let ticks = 0;
    const iv = setInterval(() => ticks++, 1);
    const results = await Promise.all(Array.from({ length: 20 }, () => login(pamPrivate, 'ctsimap', 'bad')));
    clearInterval(iv);
    assert.ok(results.every((r) => r.kind === 'rejected'));
    assert.ok(ticks > 0, 'timers kept firing while PAM ran');
  });
});
