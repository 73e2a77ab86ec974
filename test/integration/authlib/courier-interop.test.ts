// authtest and authdaemond against the real Courier (Debian's courier-authdaemon), root only:
//  1. Courier's own authtest talks to OUR authdaemond (its compiled-in socket directory is bind-mounted,
//     in a private mount namespace, over our socket's directory), and its output equals our authtest's.
//  2. OUR authtest / authdaemon client talk to the REAL Courier authdaemond (courier-reference instance).
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createAuthenticator } from '@courier-ts/authlib';
import { pino } from 'pino';
import { binDir, sharedToolsDir } from '../../support/paths.js';

const log = pino({ level: 'silent' });
const isRoot = process.getuid?.() === 0;
const haveCourier =
  spawnSync('dpkg', ['-s', 'courier-authdaemon']).status === 0 && existsSync('/usr/sbin/authtest');
const skip = !isRoot
  ? 'needs root (mount namespace)'
  : !haveCourier
    ? 'courier-authdaemon not installed'
    : false;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function ours(args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const r = spawnSync(process.execPath, [join(binDir, 'authtest'), ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Courier's authtest with /run/courier/authdaemon replaced by `socketDir`. */
function courierAuthtest(socketDir: string, args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync(
    'unshare',
    ['-m', 'sh', '-c', `mount --bind '${socketDir}' /run/courier/authdaemon && exec authtest ${quoted}`],
    {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, ...env },
    },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Send each line after the previous reply arrived (greeting first); return the whole transcript. */
function dialogue(port: number, lines: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    let text = '';
    let next = 0;
    let timer: NodeJS.Timeout | undefined;
    const sendNext = () => {
      if (next < lines.length) sock.write(`${lines[next++]}\r\n`);
    };
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => {
      text += d;
      clearTimeout(timer);
      timer = setTimeout(sendNext, 100);
    });
    sock.on('close', () => {
      clearTimeout(timer);
      resolve(text);
    });
    sock.on('error', reject);
    sock.setTimeout(20_000, () => sock.destroy(new Error(`timeout; got ${text}`)));
  });
}

const FORMS: string[][] = [
  ['testuser'],
  ['testuser', 'testpass'],
  ['-s', 'imap', 'testuser', 'testpass'],
  ['-simap', 'testuser'],
  ['-s', 'pop3', 'opts@example.com', 'optspass'],
  ['opts@example.com'],
  ['testuser', 'wrong'],
  ['nosuchuser'],
  ['nosuchuser', 'x'],
  ['testuser', 'wrongold', 'newpass'],
  ['nosuchuser', 'a', 'b', 'c'],
  ['root'],
  ['-', 'testuser'],
  ['-s'],
  [],
  ['-x', 'testuser'],
  ['--help'],
  ['test\tuser', 'x'],
];

describe('real Courier authtest against our authdaemond', { skip }, () => {
  let dir: string;
  let daemon: ChildProcess | undefined;
  before(async () => {
    dir = mkdtempSync('/tmp/authlib-interop-');
    chmodSync(dir, 0o755);
    const md5 = execFileSync('userdbpw', ['-md5'], { input: 'testpass\n' }).toString().trim();
    const des = execFileSync('userdbpw', [], { input: 'optspass\n' }).toString().trim();
    writeFileSync(
      join(dir, 'userdb'),
      `testuser\tuid=999|gid=995|home=${dir}/home/testuser|mail=${dir}/home/testuser/Maildir|systempw=${md5}\n` +
        `opts@example.com\tuid=1234|gid=1235|home=/h/o|quota=3000000S,50C|options=disableimap=1|pop3pw=${des}|gecos=O. P.\n`,
      { mode: 0o600 },
    );
    writeFileSync(
      join(dir, 'authdaemonrc'),
      'authmodulelist="authuserdb authpam"\nDEFAULTOPTIONS="group=staff"\n',
    );
    mkdirSync(join(dir, 'sock'));
    // Our authdaemond as its own process (the tests below block this process in spawnSync).
    const sock = join(dir, 'sock', 'socket');
    daemon = spawn(process.execPath, [join(binDir, 'authdaemond'), '--config-dir', dir, '--socket', sock], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { PATH: process.env.PATH },
    });
    for (let i = 0; i < 100 && !existsSync(sock); i++) await sleep(50);
    assert.ok(existsSync(sock), 'authdaemond created its socket');
  });
  after(async () => {
    if (daemon && daemon.exitCode === null) {
      const exited = new Promise((r) => daemon!.once('exit', r));
      daemon.kill('SIGTERM');
      await exited;
    }
    if (dir) {
      assert.equal(existsSync(join(dir, 'sock', 'socket')), false, 'socket removed on SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const args of FORMS) {
    test(`authtest ${JSON.stringify(args)}: Courier's client on our daemon = our authtest`, () => {
      const theirs = courierAuthtest(join(dir, 'sock'), args);
      const mine = ours(['--config-dir', dir, ...args]);
      assert.deepEqual(mine, theirs);
    });
  }
  test("password change through our daemon with Courier's authtest (userdb: works, unlike Courier's)", () => {
    const sock = join(dir, 'sock');
    assert.deepEqual(courierAuthtest(sock, ['-s', 'imap', 'testuser', 'testpass', 'n3w pass']), {
      code: 0,
      stdout: '',
      stderr: 'Password change succeeded.\n',
    });
    assert.match(readFileSync(join(dir, 'userdb'), 'utf8'), /systempw=\$1\$/, 'scheme kept');
    assert.equal(courierAuthtest(sock, ['testuser', 'testpass']).code, 1);
    assert.equal(courierAuthtest(sock, ['testuser', 'n3w pass']).code, 0);
    // And back, with our authtest going straight to the modules.
    const back = ours(['--config-dir', dir, 'testuser', 'n3w pass', 'testpass']);
    assert.deepEqual(back, { code: 0, stdout: '', stderr: 'Password change succeeded.\n' });
    assert.equal(courierAuthtest(sock, ['testuser', 'testpass']).code, 0);
  });
  test('DEFDOMAIN applies to AUTH only, as in Courier', () => {
    const env = { DEFDOMAIN: '@example.com' };
    for (const args of [
      ['testuser'],
      ['testuser', 'testpass'],
      ['opts', 'optspass'],
      ['-s', 'pop3', 'opts', 'optspass'],
    ]) {
      assert.deepEqual(
        ours(['--config-dir', dir, ...args], env),
        courierAuthtest(join(dir, 'sock'), args, env),
        args.join(' '),
      );
    }
    assert.equal(ours(['--config-dir', dir, '-s', 'pop3', 'opts', 'optspass'], env).code, 0);
  });
  test('our authtest through our daemon', () => {
    const theirs = courierAuthtest(join(dir, 'sock'), ['opts@example.com']);
    assert.match(theirs.stdout, /Options: disableimap=1,group=staff\n/);
    assert.match(theirs.stdout, /Quota: 3000000S,50C\n/);
    const mine = ours(['opts@example.com'], { AUTHDAEMON_SOCKET: join(dir, 'sock', 'socket') });
    assert.deepEqual(mine, theirs);
  });
});

describe('our clients against the real Courier authdaemond', { skip }, () => {
  const tool = join(sharedToolsDir, 'courier-reference');
  let inst: string;
  let started = false;
  // Ports of the private Courier instance: AUTHLIB_TEST_PORT_BASE (default 11200) + 43/10/93/95.
  const portBase = Number(process.env.AUTHLIB_TEST_PORT_BASE ?? 11200);
  const refEnv = {
    ...process.env,
    COURIER_REF_IMAP_PORT: String(portBase + 43),
    COURIER_REF_POP3_PORT: String(portBase + 10),
    COURIER_REF_IMAPS_PORT: String(portBase + 93),
    COURIER_REF_POP3S_PORT: String(portBase + 95),
    COURIER_REF_AUTHMODULES: 'authuserdb authpam',
  };
  before(() => {
    const base = mkdtempSync('/tmp/authlib-ref-');
    chmodSync(base, 0o755);
    inst = join(base, 'inst');
    const r = spawnSync(tool, ['start', inst], { env: refEnv, encoding: 'utf8', timeout: 120_000 });
    started = r.status === 0;
    assert.ok(started, `courier-reference start failed: ${r.stderr}`);
  });
  after(() => {
    if (inst) {
      spawnSync(tool, ['stop', inst], { env: refEnv, timeout: 60_000 });
      rmSync(join(inst, '..'), { recursive: true, force: true });
    }
  });
  const socket = () => join(inst, 'run', 'authdaemon', 'socket');
  const theirs = (args: string[]): Run => {
    const r = spawnSync(tool, ['exec', inst, 'authtest', ...args], { encoding: 'utf8', env: refEnv });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const SYSUSER = `ctsref${process.pid % 100000}`;
  const SYSPASS = 'Sys tem-pass 1';
  before(() => {
    spawnSync('userdel', [SYSUSER]);
    execFileSync('useradd', [
      '-M',
      '-d',
      '/nonexistent',
      '-s',
      '/usr/sbin/nologin',
      '-c',
      'Ref User,,,',
      SYSUSER,
    ]);
    execFileSync('chpasswd', [], { input: `${SYSUSER}:${SYSPASS}\n` });
  });
  after(() => {
    spawnSync('userdel', [SYSUSER]);
  });
  const forms = (): string[][] => [
    ['testuser'],
    ['testuser', 'testpass'],
    ['testuser', 'wrong'],
    ['root'],
    ['-simap', 'nosuch'],
    [SYSUSER],
    [SYSUSER, SYSPASS],
    ['-s', 'imap', SYSUSER, SYSPASS],
    [SYSUSER, 'wrong'],
    [SYSUSER, 'wrong', 'x'],
  ];
  test("authtest forms: ours via Courier's daemon, and ours on the modules directly, = Courier's", () => {
    for (const args of forms()) {
      const want = theirs(args);
      assert.deepEqual(ours(args, { AUTHDAEMON_SOCKET: socket() }), want, `via daemon: ${args.join(' ')}`);
      assert.deepEqual(ours(['--config-dir', join(inst, 'etc'), ...args]), want, `direct: ${args.join(' ')}`);
    }
  });
  test('PAM password change: Courier, then ours (direct) changes it back', () => {
    const NEW = 'Another pass 2';
    const done = { code: 0, stdout: '', stderr: 'Password change succeeded.\n' };
    assert.deepEqual(theirs([SYSUSER, SYSPASS, NEW]), done);
    assert.equal(ours([SYSUSER, NEW], { AUTHDAEMON_SOCKET: socket() }).code, 0);
    assert.deepEqual(ours(['--config-dir', join(inst, 'etc'), SYSUSER, NEW, SYSPASS]), done);
    assert.equal(theirs([SYSUSER, SYSPASS]).code, 0);
    assert.equal(theirs([SYSUSER, NEW]).code, 1);
  });
  test("Courier's imapd and pop3d log in through OUR authdaemond", async () => {
    const sockDir = join(inst, 'run', 'authdaemon');
    const courierSock = join(sockDir, 'socket.courier');
    renameSync(socket(), courierSock);
    const daemon = spawn(
      process.execPath,
      [join(binDir, 'authdaemond'), '--config-dir', join(inst, 'etc'), '--socket', socket()],
      { stdio: ['ignore', 'ignore', 'inherit'], env: { PATH: process.env.PATH } },
    );
    try {
      for (let i = 0; i < 100 && !existsSync(socket()); i++) await sleep(50);
      assert.ok(existsSync(socket()));
      const imap = await dialogue(Number(refEnv.COURIER_REF_IMAP_PORT), [
        'a LOGIN testuser testpass',
        'b SELECT INBOX',
        'c LOGOUT',
      ]);
      assert.match(imap, /^a OK LOGIN Ok\.\r$/m);
      assert.match(imap, /^b OK \[READ-WRITE\] Ok\r$/m);
      const pop = await dialogue(Number(refEnv.COURIER_REF_POP3_PORT), [
        'USER testuser',
        'PASS testpass',
        'STAT',
        'QUIT',
      ]);
      assert.match(pop, /^\+OK logged in\.\r$/m);
      assert.match(pop, /^\+OK Bye-bye\.\r$/m);
    } finally {
      const exited = new Promise((r) => daemon.once('exit', r));
      daemon.kill('SIGTERM');
      await exited;
      renameSync(courierSock, socket());
    }
  });
  test('authdaemon module in our chain authenticates through Courier', async () => {
    const a = await createAuthenticator({
      configDir: inst,
      env: {},
      log,
      modules: ['authdaemon'],
      authdaemonSocket: socket(),
    });
    try {
      const ok = await a.authenticate({
        service: 'imap',
        credentials: { mechanism: 'login', user: 'testuser', password: 'testpass' },
        remoteIp: '::ffff:127.0.0.1',
      });
      assert.equal(ok.kind, 'ok');
      if (ok.kind === 'ok') {
        assert.equal(ok.account.address, 'testuser');
        assert.equal(ok.account.home, join(inst, 'home', 'testuser'));
        assert.equal(ok.account.clearPassword, 'testpass');
      }
      const bad = await a.authenticate({
        service: 'imap',
        credentials: { mechanism: 'login', user: 'testuser', password: 'x' },
      });
      assert.equal(bad.kind, 'rejected');
      const names: string[] = [];
      for await (const e of a.enumerate()) names.push(`${e.module}:${e.name}`);
      assert.ok(names.includes('authuserdb:testuser'), names.join(','));
    } finally {
      await a.close();
    }
  });
});
