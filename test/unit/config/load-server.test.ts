import assert from 'node:assert/strict';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  ConfigError,
  formatProblem,
  listenerEnvironment,
  loadServerConfig,
  tlsInUse,
} from '@courier-ts/config';
import { configDir, NO_TLS_IMAP, NO_TLS_POP3 } from './helpers.js';

describe('loadServerConfig', () => {
  test('base then -ssl: the -ssl file wins, sources point at file:line', async () => {
    const t = await configDir({
      imapd: 'PORT=143\nMAILDIRPATH=Maildir\nIMAP_CAPABILITY="IMAP4rev1 IDLE"\n',
      'imapd-ssl': '# tls\nMAILDIRPATH=.maildir\nIMAPDSSLSTART=NO\nIMAPDSTARTTLS=NO\n',
    });
    try {
      const cfg = await loadServerConfig({ server: 'imapd', configDir: t.dir, env: {} });
      assert.deepEqual(cfg.problems, []);
      assert.equal(cfg.get('MAILDIRPATH'), '.maildir');
      assert.deepEqual(cfg.entry('MAILDIRPATH')?.source, {
        kind: 'file',
        file: join(t.dir, 'imapd-ssl'),
        line: 2,
      });
      assert.deepEqual(cfg.entry('PORT')?.source, { kind: 'file', file: join(t.dir, 'imapd'), line: 1 });
      assert.equal(cfg.entry('PORT')?.isDefault, true);
      assert.equal(cfg.entry('MAILDIRPATH')?.isDefault, false);
      // A default computed from a configured key: IMAP_CAPABILITY_TLS is not in the files.
      assert.equal(cfg.get('IMAP_CAPABILITY_TLS'), 'IMAP4rev1 IDLE AUTH=PLAIN');
      assert.equal(cfg.entry('IMAP_CAPABILITY_TLS')?.source.kind, 'default');
      assert.equal(cfg.get('SSLPORT'), '993');
      assert.equal(cfg.get('DEFDOMAIN'), undefined);
      assert.equal(cfg.has('DEFDOMAIN'), false);
      assert.deepEqual(
        cfg.files.map((f) => f.status),
        ['read', 'read'],
      );
    } finally {
      await t.cleanup();
    }
  });

  test('the -ssl file expands keys of the base file', async () => {
    const t = await configDir({
      pop3d: 'A_BASE=x\nPOP3AUTH="PLAIN LOGIN"\n',
      'pop3d-ssl': 'POP3AUTH_TLS="$POP3AUTH CRAM-MD5"\nPOP3DSSLSTART=NO\nPOP3_STARTTLS=NO\n',
    });
    try {
      const cfg = await loadServerConfig({ server: 'pop3d', configDir: t.dir, env: {} });
      assert.equal(cfg.get('POP3AUTH_TLS'), 'PLAIN LOGIN CRAM-MD5');
      assert.deepEqual(
        cfg.problems.map((p) => p.key),
        ['A_BASE'],
      );
    } finally {
      await t.cleanup();
    }
  });

  test('environment overrides files and is visible to expansion; env-only known keys are added', async () => {
    const t = await configDir({
      imapd: 'PORT=143\nIMAP_CAPABILITY="IMAP4rev1"\nIMAP_CAPABILITY_TLS="$IMAP_CAPABILITY AUTH=PLAIN"\n',
    });
    try {
      const env = {
        ...NO_TLS_IMAP,
        PORT: '1143',
        IMAP_CAPABILITY: 'IMAP4rev1 IDLE',
        DEFDOMAIN: '@x.test',
        AUTHSERVICE1143: 'imap2',
        UNRELATED: '1',
      };
      const cfg = await loadServerConfig({ server: 'imapd', configDir: t.dir, env });
      assert.equal(cfg.get('PORT'), '1143');
      assert.deepEqual(cfg.entry('PORT')?.source, { kind: 'env' });
      assert.equal(cfg.entry('PORT')?.isDefault, false);
      assert.equal(cfg.get('IMAP_CAPABILITY_TLS'), 'IMAP4rev1 IDLE AUTH=PLAIN');
      assert.equal(cfg.get('DEFDOMAIN'), '@x.test');
      assert.equal(cfg.get('AUTHSERVICE1143'), 'imap2');
      assert.equal(cfg.has('UNRELATED'), false);
      assert.equal(cfg.getBool('IMAPDSTARTTLS'), false);
      const environment = cfg.environment();
      assert.equal(environment.PORT, '1143');
      assert.equal(environment.MAXDAEMONS, '40');
      assert.equal(environment.UNRELATED, undefined);
    } finally {
      await t.cleanup();
    }
  });

  test('every problem at once, in file order, with file:line and did-you-mean', async () => {
    const t = await configDir({
      imapd: [
        'PORT=abc', // 1 error
        'MAXDAEMONS=-1', // 2 error
        'IMAP_CAPABILTY="IMAP4rev1"', // 3 unknown, suggestion
        'address = 127.0.0.1', // 4 spaced form + unknown (case)
        'IMAP_UMASK=999', // 5 error
        'IMAP_EMPTYTRASH=Trash', // 6 error
        'IMAP_IDLE_TIMEOUT=0', // 7 error
        'PORT2=1', // 8 unknown, suggestion PORT
        'ZZZZZZZZZZ=1', // 9 unknown, no suggestion
        'IMAP_PROXY=1', // 10 known, not honoured
        'OUTBOX=', // 11 known, empty: nothing to warn about
        '',
      ].join('\n'),
      'imapd-ssl':
        'IMAPDSSLSTART=maybe\nIMAPDSTARTTLS=NO\nTLS_VERIFYPEER=SOMETIMES\nSSLPORT=127.0.0.1.99999\n',
    });
    try {
      const cfg = await loadServerConfig({ server: 'imapd', configDir: t.dir, env: { MAXPERIP: 'x' } });
      const base = join(t.dir, 'imapd');
      const ssl = join(t.dir, 'imapd-ssl');
      const got = cfg.problems.map(formatProblem);
      const want = [
        `${base}:1: error: PORT: 'abc' is not a port number`,
        `${base}:2: error: MAXDAEMONS: -1 is below the minimum 1`,
        `${base}:3: warning: unknown key IMAP_CAPABILTY (kept, but nothing reads it); did you mean IMAP_CAPABILITY?`,
        `${base}:4: warning: 'address = ...' with spaces`,
        `${base}:4: warning: unknown key address (kept, but nothing reads it); did you mean ADDRESS? (keys are case-sensitive)`,
        `${base}:5: error: IMAP_UMASK: '999' is not an octal umask`,
        `${base}:6: error: IMAP_EMPTYTRASH: 'Trash' is not folder:days`,
        `${base}:7: error: IMAP_IDLE_TIMEOUT: 0 is below the minimum 1`,
        `${base}:8: warning: unknown key PORT2 (kept, but nothing reads it); did you mean PORT?`,
        `${base}:9: warning: unknown key ZZZZZZZZZZ (kept, but nothing reads it)`,
        `${base}:10: warning: IMAP_PROXY: not supported, ignored: login proxying is not implemented`,
        `${ssl}:1: error: IMAPDSSLSTART: 'maybe' is not YES or NO`,
        `${ssl}:3: error: TLS_VERIFYPEER: 'SOMETIMES' is not one of NONE, PEER, REQUIREPEER`,
        `${ssl}:4: error: SSLPORT: port 99999 is out of range`,
        "error: MAXPERIP (from the environment): 'x' is not an integer",
      ];
      assert.equal(got.length, want.length, got.join('\n'));
      want.forEach((w, i) => {
        assert.ok(got[i]!.startsWith(w), `problem ${i}:\n  got  ${got[i]}\n  want ${w}`);
      });
      assert.equal(cfg.entry('address')?.canonicalKey, 'ADDRESS');
      assert.equal(cfg.entry('address')?.known, false);
      assert.equal(
        cfg.get('ADDRESS'),
        '0',
        'lower-case address does not set ADDRESS (Courier is case-sensitive)',
      );
      assert.equal(cfg.get('IMAP_CAPABILTY'), 'IMAP4rev1', 'unknown keys are kept');
      assert.equal(cfg.problems[2]!.suggestion, 'IMAP_CAPABILITY');
      assert.equal(cfg.hasErrors(), true);
    } finally {
      await t.cleanup();
    }
  });

  test('a key set twice in one file with different values is a warning; same value is not', async () => {
    const t = await configDir({ pop3d: 'PORT=110\nPORT=110\nMAXPERIP=4\nMAXPERIP=8\n' });
    try {
      const cfg = await loadServerConfig({
        server: 'pop3d',
        configDir: t.dir,
        env: NO_TLS_POP3,
        includeSsl: false,
      });
      assert.deepEqual(
        cfg.problems.map((p) => [p.line, p.severity, p.key]),
        [[4, 'warning', 'MAXPERIP']],
      );
      assert.equal(cfg.getInt('MAXPERIP'), 8);
    } finally {
      await t.cleanup();
    }
  });

  test('$VAR of a key not yet set warns (sh sees it empty, not its default)', async () => {
    const t = await configDir({
      imapd: 'IMAP_CAPABILITY_TLS="$IMAP_CAPABILITY AUTH=PLAIN"\nIMAP_CAPABILITY="IMAP4rev1"\n',
    });
    try {
      const cfg = await loadServerConfig({ server: 'imapd', configDir: t.dir, env: {}, includeSsl: false });
      assert.equal(cfg.get('IMAP_CAPABILITY_TLS'), ' AUTH=PLAIN');
      assert.deepEqual(
        cfg.problems.map((p) => [p.line, p.severity, p.key]),
        [[1, 'warning', 'IMAP_CAPABILITY']],
      );
    } finally {
      await t.cleanup();
    }
  });

  test('missing config dir: warnings per file, Debian defaults in force', async () => {
    const cfg = await loadServerConfig({
      server: 'pop3d',
      configDir: '/nonexistent/courier',
      env: NO_TLS_POP3,
    });
    assert.deepEqual(
      cfg.files.map((f) => [f.path, f.status]),
      [
        ['/nonexistent/courier/pop3d', 'missing'],
        ['/nonexistent/courier/pop3d-ssl', 'missing'],
      ],
    );
    assert.deepEqual(
      cfg.problems.map((p) => p.severity),
      ['warning', 'warning'],
    );
    assert.equal(cfg.get('PORT'), '110');
    assert.equal(cfg.get('MAXPERIP'), '4');
    assert.equal(cfg.get('TLS_CACHEFILE'), '/var/lib/courier/couriersslimapcache');
    const notDefault = cfg.entries().filter((e) => !(e.isDefault && e.known && e.source.kind === 'default'));
    assert.deepEqual(
      notDefault.map((e) => [e.key, e.source.kind]),
      [
        ['POP3DSSLSTART', 'env'],
        ['POP3_STARTTLS', 'env'],
      ],
    );
  });

  test('includeSsl: false reads only the base file and applies only its defaults', async () => {
    const t = await configDir({ imapd: 'PORT=143\n', 'imapd-ssl': 'SSLPORT=abc\n' });
    try {
      const cfg = await loadServerConfig({ server: 'imapd', configDir: t.dir, env: {}, includeSsl: false });
      assert.deepEqual(cfg.problems, []);
      assert.equal(cfg.files.length, 1);
      assert.equal(cfg.has('SSLPORT'), false);
      assert.equal(cfg.has('TLS_CERTFILE'), false);
    } finally {
      await t.cleanup();
    }
  });

  test('getBool and getInt follow Courier', async () => {
    const t = await configDir({
      imapd:
        'IMAPDSTART=yes\nIMAP_ACL=0\nIMAP_PROXY=1\nX1=true\nX2=NO\nX3=2abc\nX4=\nX5=Trash\nIMAP_ULIMITD=\n',
    });
    try {
      const cfg = await loadServerConfig({
        server: 'imapd',
        configDir: t.dir,
        env: NO_TLS_IMAP,
        includeSsl: false,
      });
      const bools = ['IMAPDSTART', 'IMAP_ACL', 'IMAP_PROXY', 'X1', 'X2', 'X3', 'X4', 'X5', 'NOPE'].map((k) =>
        cfg.getBool(k),
      );
      assert.deepEqual(bools, [true, false, true, true, false, true, false, true, undefined]);
      assert.equal(cfg.getInt('MAXDAEMONS'), 40);
      assert.equal(cfg.getInt('X3'), undefined);
      assert.equal(cfg.getInt('IMAP_ULIMITD'), undefined);
      assert.equal(cfg.get('IMAP_ULIMITD'), '');
    } finally {
      await t.cleanup();
    }
  });

  test('TLS certificate: error when TLS is on and the file is missing, warning when TLS is off', async () => {
    const t = await configDir({ 'imapd-ssl': 'TLS_CERTFILE=/nonexistent/imapd.pem\nIMAPDSSLSTART=NO\n' });
    try {
      const on = await loadServerConfig({ server: 'imapd', configDir: t.dir, env: {} });
      const certProblem = on.problems.find((p) => p.key === 'TLS_CERTFILE');
      assert.equal(certProblem?.severity, 'error');
      assert.equal(certProblem?.line, 1);
      assert.match(certProblem!.message, /does not exist \(TLS is enabled by IMAPDSTARTTLS\)/);

      const off = await loadServerConfig({ server: 'imapd', configDir: t.dir, env: { IMAPDSTARTTLS: 'NO' } });
      assert.equal(off.problems.find((p) => p.key === 'TLS_CERTFILE')?.severity, 'warning');
      assert.equal(off.hasErrors(), false);

      const unset = await loadServerConfig({ server: 'imapd', configDir: t.dir, env: { TLS_CERTFILE: '' } });
      assert.match(
        unset.problems.find((p) => p.key === 'TLS_CERTFILE')!.message,
        /not set but TLS is enabled/,
      );

      const unchecked = await loadServerConfig({
        server: 'imapd',
        configDir: t.dir,
        env: {},
        checkFiles: false,
      });
      assert.equal(unchecked.problems.filter((p) => p.key === 'TLS_CERTFILE').length, 0);
    } finally {
      await t.cleanup();
    }
  });

  test('TLS certificate present: no problem', async () => {
    const t = await configDir({});
    try {
      await writeFile(join(t.dir, 'pop3d.pem'), 'PEM');
      await writeFile(join(t.dir, 'dh.pem'), 'PEM');
      const env = { TLS_CERTFILE: join(t.dir, 'pop3d.pem'), TLS_DHPARAMS: join(t.dir, 'dh.pem') };
      const cfg = await loadServerConfig({ server: 'pop3d', configDir: t.dir, env });
      assert.deepEqual(
        cfg.problems.map((p) => p.severity),
        ['warning', 'warning'], // the two missing files only
      );
    } finally {
      await t.cleanup();
    }
  });

  test('an unreadable file is an error (ordinary users only: root reads everything)', async (ctx) => {
    if (process.getuid?.() === 0) {
      ctx.skip('running as root: permission bits do not stop root');
      return;
    }
    const t = await configDir({ imapd: 'PORT=143\n' });
    try {
      await chmod(join(t.dir, 'imapd'), 0o000);
      const cfg = await loadServerConfig({ server: 'imapd', configDir: t.dir, env: NO_TLS_IMAP });
      assert.equal(cfg.files[0]!.status, 'unreadable');
      assert.equal(cfg.problems[0]!.severity, 'error');
    } finally {
      await t.cleanup();
    }
  });

  test('a directory in place of a file is reported, not thrown', async () => {
    const t = await configDir({});
    try {
      await mkdir(join(t.dir, 'imapd'));
      const cfg = await loadServerConfig({ server: 'imapd', configDir: t.dir, env: NO_TLS_IMAP });
      assert.equal(cfg.files[0]!.status, 'unreadable');
      assert.equal(cfg.problems[0]!.severity, 'error');
    } finally {
      await t.cleanup();
    }
  });

  test('listenerEnvironment adds what the start scripts set after sourcing', async () => {
    const t = await configDir({
      'imapd-ssl': 'IMAPDSTARTTLS=YES\n',
      'pop3d-ssl': 'POP3_STARTTLS=YES\nPOP3_TLS_REQUIRED=1\n',
    });
    try {
      const imap = await loadServerConfig({ server: 'imapd', configDir: t.dir, env: {}, checkFiles: false });
      const plain = listenerEnvironment(imap, 'imapd', 'plain');
      assert.equal(plain.IMAP_STARTTLS, 'YES');
      assert.equal(plain.IMAP_TLS, undefined);
      assert.equal(plain.PORT, '143');
      const tls = listenerEnvironment(imap, 'imapd', 'tls');
      assert.equal(tls.IMAP_TLS, '1');
      assert.equal(tls.IMAP_STARTTLS, undefined);
      const pop = await loadServerConfig({ server: 'pop3d', configDir: t.dir, env: {}, checkFiles: false });
      assert.equal(listenerEnvironment(pop, 'pop3d', 'plain').POP3_TLS_REQUIRED, '1');
      assert.deepEqual(
        (({ POP3_TLS, POP3_STARTTLS, POP3_TLS_REQUIRED }) => ({
          POP3_TLS,
          POP3_STARTTLS,
          POP3_TLS_REQUIRED,
        }))(listenerEnvironment(pop, 'pop3d', 'tls')),
        { POP3_TLS: '1', POP3_STARTTLS: 'NO', POP3_TLS_REQUIRED: '0' },
      );
      assert.deepEqual(tlsInUse('pop3d', pop), {
        on: true,
        by: ['POP3DSSLSTART', 'POP3_STARTTLS', 'POP3_TLS_REQUIRED'],
      });
    } finally {
      await t.cleanup();
    }
  });

  test('bad options throw a typed ConfigError', async () => {
    await assert.rejects(
      loadServerConfig({ server: 'smtpd' as 'imapd', configDir: '/etc/courier' }),
      (err: unknown) => err instanceof ConfigError && err.code === 'INVALID_OPTIONS',
    );
  });
});
