// Our authdaemond server and client over a real unix socket: reply format, tempfail, timeouts,
// ENUMERATE, socket creation; Courier's authtest on a tempfail when installed (root).
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import {
  type AuthdaemonServer,
  type AuthModule,
  callAuthdaemon,
  createAuthenticator,
  createAuthenticatorFromModules,
  parseEnumerateReply,
  resolveClientTimeouts,
  startAuthdaemonServer,
} from '@courier-ts/authlib';
import { pino } from 'pino';

const log = pino({ level: 'silent' });
const isRoot = process.getuid?.() === 0;
const haveCourier = spawnSync('dpkg', ['-s', 'courier-authdaemon']).status === 0;

const account = (address: string) => ({ address, uid: 1000, gid: 1000, home: `/h/${address}` });
const modA: AuthModule = {
  name: 'authA',
  lookup: async (_s, u) =>
    u === 'a'
      ? { kind: 'ok', account: account('a') }
      : u === 'tmp'
        ? { kind: 'tempfail', reason: 'x' }
        : { kind: 'notfound' },
  authenticate: async (r) =>
    r.credentials.user === 'tmp' ? { kind: 'tempfail', reason: 'db down' } : { kind: 'notfound' },
  async *enumerate() {
    yield { module: 'authA', name: 'a', uid: 1000, gid: 1000, home: '/h/a' };
  },
};
const modB: AuthModule = {
  name: 'authB',
  lookup: async (_s, u) =>
    u === 'b' ? { kind: 'ok', account: { ...account('b'), options: 'disableimap=1' } } : { kind: 'notfound' },
  authenticate: async () => ({ kind: 'notfound' }),
  async *enumerate() {
    yield {
      module: 'authB',
      name: 'b',
      uid: 1001,
      gid: 1001,
      home: '/h/b',
      maildir: '/h/b/M',
      options: 'x=1',
    };
    yield { module: 'authB', name: 'root', uid: 0, gid: 0, home: '/root' };
  },
};

const modC: AuthModule = {
  name: 'authC',
  lookup: async () => ({ kind: 'notfound' }),
  authenticate: async () => ({ kind: 'notfound' }),
  async *enumerate() {},
};
const modD: AuthModule = {
  name: 'authD',
  lookup: async () => ({ kind: 'notfound' }),
  authenticate: async () => ({ kind: 'notfound' }),
};

let dir: string;
let server: AuthdaemonServer;
const timeouts = resolveClientTimeouts({});

function raw(request: string, hold = false): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(join(dir, 'socket'));
    let got = '';
    s.on('data', (c) => {
      got += c;
    });
    s.on('close', () => resolve(got));
    s.on('error', reject);
    if (!hold) s.write(request);
    else s.write(request.slice(0, 3));
  });
}

describe('authdaemond server', () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'authdaemond-'));
    const auth = createAuthenticatorFromModules([modC, modA, modD, modB], { defaultOptions: 'group=g', log });
    server = await startAuthdaemonServer({
      authenticator: auth,
      socketPath: join(dir, 'socket'),
      log,
      readTimeoutMs: 300,
    });
  });
  after(async () => {
    await server.close();
    assert.equal(existsSync(join(dir, 'socket')), false);
    rmSync(dir, { recursive: true, force: true });
  });

  test('socket is mode 0777, no socket.tmp left', () => {
    assert.equal(statSync(join(dir, 'socket')).mode & 0o777, 0o777);
    assert.equal(existsSync(join(dir, 'socket.tmp')), false);
  });
  test('PRE: reply lines and DEFAULTOPTIONS merge; PRE <module> limits the search', async () => {
    assert.equal(
      await raw('PRE . login a\n'),
      'UID=1000\nGID=1000\nHOME=/h/a\nADDRESS=a\nOPTIONS=group=g\n.\n',
    );
    assert.equal(
      await raw('TCPREMOTEIP=::1\nPRE . imap b\n'),
      'UID=1000\nGID=1000\nHOME=/h/b\nADDRESS=b\nOPTIONS=disableimap=1,group=g\n.\n',
    );
    assert.equal(await raw('PRE authA imap b\n'), 'FAIL\n');
    assert.equal(await raw('PRE . imap nobody\n'), 'FAIL\n');
  });
  test('temporary failure: connection closed without a byte; client sees EIO', async () => {
    assert.equal(await raw('PRE . imap tmp\n'), '');
    assert.equal(await raw('AUTH 18\nimap\nlogin\ntmp\npw\n'), '');
    const r = await callAuthdaemon(join(dir, 'socket'), 'PRE . imap tmp\n', {
      timeouts,
      complete: () => false,
    });
    assert.deepEqual(r, { kind: 'eio' });
  });
  test('unknown command and oversized AUTH: closed without reply', async () => {
    assert.equal(await raw('BOGUS\n'), '');
    assert.equal(await raw('AUTH 9999\n'), '');
  });
  test('PASSWD with a control character: FAIL', async () => {
    assert.equal(await raw('PASSWD imap\ta\to\x01\tn\n'), 'FAIL\n');
    assert.equal(await raw('PASSWD imap\ta\told\tnew\n'), 'FAIL\n');
  });
  test('read timeout closes an idle connection', async () => {
    assert.equal(await raw('PRE . login a\n', true), '');
  });
  test('ENUMERATE: per-module headers, end marker; client skips uid 0', async () => {
    const text = await raw('ENUMERATE\n');
    assert.equal(
      text,
      '# authC\n\n# authA\n\na\t1000\t1000\t/h/a\t\t\n# authB\n\nb\t1001\t1001\t/h/b\t/h/b/M\tx=1\nroot\t0\t0\t/root\t\t\n.\n',
    );
    assert.deepEqual(
      parseEnumerateReply(text).map((e) => `${e.module}/${e.name}`),
      ['authA/a', 'authB/b'],
    );
  });
  test("Courier's authtest on a temporary failure", {
    skip: (!isRoot || !haveCourier) && 'needs root and courier-authdaemon',
  }, async () => {
    const run = promisify(execFile);
    const r = await run('unshare', [
      '-m',
      'sh',
      '-c',
      `mount --bind '${dir}' /run/courier/authdaemon && authtest tmp; echo rc=$?`,
    ]);
    assert.equal(r.stdout, 'rc=1\n');
    assert.equal(r.stderr, 'Authentication FAILED: Input/output error\n');
  });
});

describe('authpam without the native addon', () => {
  test('temporary failure (not a silent rejection)', async () => {
    const d = mkdtempSync(join(tmpdir(), 'nonative-'));
    const a = await createAuthenticator({ configDir: d, env: {}, log, modules: ['authpam'], native: false });
    try {
      const o = await a.authenticate({
        service: 'login',
        credentials: { mechanism: 'login', user: 'root', password: 'x' },
      });
      assert.deepEqual(o, { kind: 'tempfail', reason: 'PAM unavailable' });
    } finally {
      await a.close();
      rmSync(d, { recursive: true, force: true });
    }
  });
});
