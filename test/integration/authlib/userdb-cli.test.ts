// userdb, userdbpw, makeuserdb and authenumerate CLIs; userdb/userdbpw compared with Courier's own
// (Perl `userdb`, C `userdbpw` from courier-authlib-userdb) where installed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { createPasswordService } from '@courier-ts/authlib';
import { pino } from 'pino';
import { binDir } from '../../support/paths.js';

const haveCourier = spawnSync('dpkg', ['-s', 'courier-authlib-userdb']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'userdb-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}
function run(cmd: string, args: string[], input = ''): Run {
  const r = spawnSync(cmd, args, { input, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const ours = (prog: string, args: string[], input = '') =>
  run(process.execPath, [join(binDir, prog), ...args], input);

/** A userdb file as address → field map (Perl's `userdb` writes fields in hash order). */
function semantic(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const [addr, rest = ''] = line.split('\t');
    out[addr!] = Object.fromEntries(
      rest
        .split('|')
        .filter(Boolean)
        .map((f) => [f.split('=')[0]!, f.slice(f.indexOf('=') + 1)]),
    );
  }
  return out;
}

describe('userdb', () => {
  const steps: string[][] = [
    ['alice@example.com', 'set', 'uid=1000', 'gid=1000', 'home=/home/vmail/alice'],
    ['bob@example.com', 'set', 'uid=1001', 'gid=1001', 'home=/home/vmail/bob', 'mail=/m/bob'],
    ['alice@example.com', 'set', 'mail=/home/vmail/alice/Maildir', 'uid=2000'],
    ['alice@example.com', 'unset', 'mail'],
    ['bob@example.com', 'del'],
    ['carol@example.com', 'del'],
  ];
  test('set / unset / del keep other lines, write mode 600 atomically', () => {
    const file = join(dir, 'ours-userdb');
    writeFileSync(file, '# comment kept\n', { mode: 0o600 });
    for (const s of steps) assert.equal(ours('userdb', ['-f', file, ...s]).code, 0, s.join(' '));
    assert.deepEqual(semantic(readFileSync(file, 'utf8')), {
      'alice@example.com': { uid: '2000', gid: '1000', home: '/home/vmail/alice' },
    });
    assert.match(readFileSync(file, 'utf8'), /^# comment kept\n/);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    chmodSync(file, 0o640);
    ours('userdb', ['-f', file, 'alice@example.com', 'set', 'quota=1S']);
    assert.equal(statSync(file).mode & 0o777, 0o640, 'existing mode kept');
  });
  test('a bare field name reads its value from stdin', () => {
    const file = join(dir, 'stdin-userdb');
    assert.equal(ours('userdb', ['-f', file, 'x@y', 'set', 'uid=1', 'systempw'], '{SHA}abc\n').code, 0);
    assert.equal(readFileSync(file, 'utf8'), 'x@y\tuid=1|systempw={SHA}abc\n');
  });
  test('-show lists names, -show NAME lists fields', () => {
    const file = join(dir, 'show-userdb');
    writeFileSync(file, 'a@x\tuid=1|gid=2\n#c\nb@x\tuid=3\n', { mode: 0o600 });
    assert.deepEqual(ours('userdb', ['-show', '-f', file]), { code: 0, stdout: 'a@x\nb@x\n', stderr: '' });
    assert.deepEqual(ours('userdb', ['-show', '-f', file, 'a@x']), {
      code: 0,
      stdout: 'uid=1\ngid=2\n',
      stderr: '',
    });
  });
  test("same results as Courier's userdb", {
    skip: !haveCourier && 'courier-authlib-userdb not installed',
  }, () => {
    const a = join(dir, 'cmp-ours');
    const b = join(dir, 'cmp-courier');
    writeFileSync(a, '# c\n', { mode: 0o600 });
    writeFileSync(b, '# c\n', { mode: 0o600 });
    for (const s of steps) {
      const mine = ours('userdb', ['-f', a, ...s]);
      const theirs = run('userdb', ['-f', b, ...s]);
      assert.equal(mine.code, theirs.code, s.join(' '));
      assert.deepEqual(semantic(readFileSync(a, 'utf8')), semantic(readFileSync(b, 'utf8')), s.join(' '));
      assert.equal(statSync(a).mode & 0o777, statSync(b).mode & 0o777);
    }
    for (const args of [
      ['-show', '-f', a],
      ['-show', '-f', a, 'alice@example.com'],
    ]) {
      assert.deepEqual(
        ours('userdb', args).stdout.split('\n').sort(),
        run(
          'userdb',
          args.map((x) => (x === a ? b : x)),
        )
          .stdout.split('\n')
          .sort(),
      );
    }
    const u1 = ours('userdb', ['-f', a, 'x', 'set', 'a=b|c']);
    const u2 = run('userdb', ['-f', b, 'x', 'set', 'a=b|c']);
    assert.equal(u1.stderr, u2.stderr);
    // Usage: same text (program name aside) on stdout, exit 1.
    const n1 = ours('userdb', []);
    const n2 = run('userdb', []);
    assert.equal(n1.code, n2.code);
    assert.equal(
      n1.stdout.replaceAll(join(binDir, 'userdb'), 'userdb'),
      n2.stdout.replaceAll('/usr/sbin/userdb', 'userdb'),
    );
  });
});

describe('userdbpw', () => {
  const svc = createPasswordService({ log: pino({ level: 'silent' }) });
  after(() => svc.close());
  for (const [flag, re] of [
    [[], /^[./0-9A-Za-z]{13}$/],
    [['-md5'], /^\$1\$[./0-9A-Za-z]{8}\$/],
    [['-sha512'], /^\$6\$/],
    [['-yescrypt'], /^\$y\$j9T\$/],
  ] as const) {
    test(`${flag.join(' ') || '(default)'} hashes one stdin line`, {
      skip: flag[0] === '-yescrypt' && !svc.native && 'no addon',
    }, async () => {
      const r = ours('userdbpw', [...flag], 'pw with space\nsecond line ignored\n');
      assert.equal(r.code, 0);
      const h = r.stdout.trim();
      assert.match(h, re);
      assert.equal(await svc.verify('pw with space', h), true);
      assert.equal(await svc.verify('pw with spacf', h), flag.length === 0, 'DES uses 8 characters only');
    });
  }
  test('no input: exit 1; unknown option: message, exit 1', () => {
    assert.equal(ours('userdbpw', [], '').code, 1);
    assert.deepEqual(ours('userdbpw', ['-x']), {
      code: 1,
      stdout: '',
      stderr: 'userdbpw: invalid argument.\n',
    });
  });
  test("-hmac-md5 / -hmac-sha1 equal Courier's output", {
    skip: !haveCourier && 'courier-authlib-userdb not installed',
  }, () => {
    for (const flag of ['-hmac-md5', '-hmac-sha1', '-hmac-sha256']) {
      assert.deepEqual(ours('userdbpw', [flag], 'Sekrit!\n'), run('userdbpw', [flag], 'Sekrit!\n'));
    }
    assert.deepEqual(ours('userdbpw', ['-bogus']), run('userdbpw', ['-bogus']));
  });
});

describe('makeuserdb (validate) and authenumerate', () => {
  test('reports problems, refuses group/world permissions', () => {
    const file = join(dir, 'mk-userdb');
    writeFileSync(file, 'a@x\tuid=1|gid=2|home=/h\n', { mode: 0o600 });
    assert.deepEqual(ours('makeuserdb', ['-f', file]), { code: 0, stdout: '', stderr: '' });
    writeFileSync(file, 'a@x\tuid=1|gid=2|home=/h\na@x\tuid=1|gid=2|home=/h\nb@x\tuid=z|home=/h\n');
    const r = ours('makeuserdb', ['-f', file]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /:2: a@x: duplicate address\n/);
    assert.match(r.stdout, /:3: b@x: missing gid=/);
    chmodSync(file, 0o644);
    assert.deepEqual(ours('makeuserdb', ['-f', file]), {
      code: 255,
      stdout: '',
      stderr: `${file}: MAY NOT HAVE GROUP OR WORLD PERMISSIONS!!\n`,
    });
    assert.equal(ours('makeuserdb', ['-f', join(dir, 'nope')]).stderr, `${join(dir, 'nope')}: not found.\n`);
  });
  test('authenumerate --config-dir lists userdb accounts', () => {
    const cfg = mkdtempSync(join(dir, 'enum-'));
    writeFileSync(join(cfg, 'authdaemonrc'), 'authmodulelist="authuserdb"\n');
    writeFileSync(
      join(cfg, 'userdb'),
      'a@x\tuid=10|gid=20|home=/h/a|mail=/h/a/M|options=disableimap=1\nr@x\tuid=0|gid=0|home=/root\n',
      { mode: 0o600 },
    );
    assert.deepEqual(ours('authenumerate', ['--config-dir', cfg]), {
      code: 0,
      stdout: 'a@x\t10\t20\t/h/a\t/h/a/M\n',
      stderr: '',
    });
    assert.equal(
      ours('authenumerate', ['--config-dir', cfg, '-o']).stdout,
      'a@x\t10\t20\t/h/a\t/h/a/M\tdisableimap=1\n',
    );
    assert.deepEqual(ours('authenumerate', ['--config-dir', cfg, '-z']), {
      code: 1,
      stdout: '',
      stderr: 'Usage: authenumerate [-s] [-o]\n',
    });
  });
});
