import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { type AuthOutcome, createAuthenticator } from '@courier-ts/authlib';
import { pino } from 'pino';
import { fixturesDir } from '../../support/paths.js';

const log = pino({ level: 'silent' });
const sys = join(fixturesDir, 'authlib', 'system');
const files = { passwdFile: join(sys, 'passwd'), shadowFile: join(sys, 'shadow') };

const shadow = await createAuthenticator({ configDir: sys, env: {}, log, modules: ['authshadow'], ...files });
const pwd = await createAuthenticator({ configDir: sys, env: {}, log, modules: ['authpwd'], ...files });
after(async () => {
  await shadow.close();
  await pwd.close();
});

const kind = (o: AuthOutcome) => o.kind;
const login = (a: typeof shadow, user: string, password: string) =>
  a.authenticate({ service: 'imap', credentials: { mechanism: 'login', user, password } });

describe('authshadow', () => {
  test('lookup: USERNAME=ADDRESS, uid/gid/home from passwd, NAME up to the first comma, PASSWD from shadow', async () => {
    const o = await shadow.lookup('imap', 'alice');
    assert.equal(o.kind, 'ok');
    if (o.kind !== 'ok') return;
    const a = o.account;
    assert.deepEqual(
      [a.systemUser, a.address, a.uid, a.gid, a.home, a.fullName],
      ['alice', 'alice', 1000, 1000, '/home/alice', 'Alice Example'],
    );
    assert.match(a.encryptedPassword!, /^\$6\$alicesalt\$/);
  });
  test('right password accepted, wrong rejected', async () => {
    assert.equal(kind(await login(shadow, 'alice', 'alicepass')), 'ok');
    assert.equal(kind(await login(shadow, 'alice', 'alicepas')), 'rejected');
  });
  test('expired account, aged-out password and locked password are refused', async () => {
    assert.equal(kind(await login(shadow, 'carol', 'carolpass')), 'rejected');
    assert.equal(kind(await login(shadow, 'dave', 'davepass')), 'rejected');
    assert.equal(kind(await login(shadow, 'erin', 'erinpass')), 'rejected');
    assert.equal(kind(await login(shadow, 'bob', 'bobpass')), 'rejected');
    assert.equal(kind(await shadow.lookup('imap', 'carol')), 'rejected');
  });
  test('enumerate: uid >= 100 only', async () => {
    const names: string[] = [];
    for await (const e of shadow.enumerate()) names.push(e.name);
    assert.deepEqual(names, ['alice', 'bob', 'carol', 'dave', 'erin']);
  });
  test('CRAM is not handled by system modules', async () => {
    const o = await shadow.authenticate({
      service: 'imap',
      credentials: { mechanism: 'cram-md5', user: 'alice', challenge: '<x@y>', response: '00' },
    });
    assert.equal(o.kind, 'rejected');
  });
});

describe('authpwd', () => {
  test('uses the passwd field itself', async () => {
    assert.equal(kind(await login(pwd, 'bob', 'bobpass')), 'ok');
    assert.equal(kind(await login(pwd, 'bob', 'wrong')), 'rejected');
    assert.equal(kind(await login(pwd, 'alice', 'alicepass')), 'rejected');
    const o = await pwd.lookup('login', 'bob');
    assert.equal(o.kind === 'ok' && o.account.encryptedPassword, '$1$abcdefgh$EJYg0GZtAPbfJ.bigqr/n/');
  });
});

describe('module chain', () => {
  test('falls through: userdb-less chain of pwd then shadow', async () => {
    const chain = await createAuthenticator({
      configDir: sys,
      env: {},
      log,
      modules: ['authpwd', 'authshadow'],
      ...files,
    });
    try {
      const a = await login(chain, 'alice', 'alicepass');
      assert.equal(a.kind === 'ok' && a.module, 'authshadow');
      const b = await login(chain, 'bob', 'bobpass');
      assert.equal(b.kind === 'ok' && b.module, 'authpwd');
    } finally {
      await chain.close();
    }
  });
  test('a temporary failure stops the chain', async () => {
    const chain = await createAuthenticator({
      configDir: sys,
      env: {},
      log,
      modules: ['authdaemon', 'authshadow'],
      authdaemonSocket: join(sys, 'no-such-socket'),
      ...files,
    });
    try {
      const o = await login(chain, 'alice', 'alicepass');
      assert.equal(o.kind, 'tempfail');
    } finally {
      await chain.close();
    }
  });
});
