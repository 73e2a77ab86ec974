import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { bufferOutput } from '@courier-ts/config/cli';
import { main as imapdMain } from '@courier-ts/imapd/cli';
import { configDir } from './helpers.js';
import { runBin } from './run-bin.js';

const TLS_OFF_IMAP = 'IMAPDSSLSTART=NO\nIMAPDSTARTTLS=NO\n';
const TLS_OFF_POP3 = 'POP3DSSLSTART=NO\nPOP3_STARTTLS=NO\n';

describe('bin/imapd and bin/pop3d (child processes)', () => {
  test('imapd config --config-dir DIR prints every setting with its source', async () => {
    const t = await configDir({ imapd: 'PORT=1143\n', 'imapd-ssl': TLS_OFF_IMAP });
    try {
      const r = await runBin('imapd', ['config', '--config-dir', t.dir]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
      assert.match(r.stdout, new RegExp(`^PORT=1143 +# ${join(t.dir, 'imapd')}:1$`, 'm'));
      assert.match(r.stdout, /^IMAP_CAPABILITY_TLS="IMAP4rev1 .* AUTH=PLAIN" +# default$/m);
    } finally {
      await t.cleanup();
    }
  });

  test('global option before the subcommand, --changed, environment override', async () => {
    const t = await configDir({ pop3d: 'PORT=1110\n', 'pop3d-ssl': TLS_OFF_POP3 });
    try {
      const r = await runBin('pop3d', ['--config-dir', t.dir, 'config', '--changed'], { MAXPERIP: '9' });
      assert.equal(r.code, 0, r.stderr);
      const settings = r.stdout.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
      assert.deepEqual(
        settings.map((l) => l.replace(/ +#/, ' #')),
        [
          `PORT=1110 # ${join(t.dir, 'pop3d')}:1`,
          `POP3DSSLSTART=NO # ${join(t.dir, 'pop3d-ssl')}:1`,
          `POP3_STARTTLS=NO # ${join(t.dir, 'pop3d-ssl')}:2`,
          'MAXPERIP=9 # environment',
        ],
      );
    } finally {
      await t.cleanup();
    }
  });

  test('imapd config --json', async () => {
    const t = await configDir({ imapd: 'PORT=1143\n', 'imapd-ssl': TLS_OFF_IMAP });
    try {
      const r = await runBin('imapd', ['config', '--json', '--config-dir', t.dir]);
      assert.equal(r.code, 0, r.stderr);
      const doc = JSON.parse(r.stdout);
      assert.equal(doc.settings.find((s: { key: string }) => s.key === 'PORT').value, '1143');
    } finally {
      await t.cleanup();
    }
  });

  test('pop3d check: exit 1 with file:line problems and did-you-mean', async () => {
    const t = await configDir({ pop3d: 'PORT=abc\nMAXPERIPP=3\n', 'pop3d-ssl': TLS_OFF_POP3 });
    try {
      const r = await runBin('pop3d', ['check', '--config-dir', t.dir]);
      assert.equal(r.code, 1);
      const base = join(t.dir, 'pop3d');
      assert.equal(
        r.stdout,
        `${base}:1: error: PORT: 'abc' is not a port number\n` +
          `${base}:2: warning: unknown key MAXPERIPP (kept, but nothing reads it); did you mean MAXPERIP?\n` +
          'pop3d: 1 error, 1 warning\n',
      );
    } finally {
      await t.cleanup();
    }
  });

  test('pop3d check on a clean config exits 0', async () => {
    const t = await configDir({ pop3d: 'PORT=110\n', 'pop3d-ssl': TLS_OFF_POP3 });
    try {
      const r = await runBin('pop3d', ['check', '--config-dir', t.dir]);
      assert.equal(r.code, 0, r.stdout);
      assert.match(r.stdout, /^pop3d: configuration OK/);
    } finally {
      await t.cleanup();
    }
  });

  test('--version and --help exit 0; unknown command and no command exit 1', async () => {
    const v = await runBin('imapd', ['--version']);
    assert.equal(v.code, 0);
    assert.match(v.stdout, /^imapd \(courier-ts\) \d+\.\d+\.\d+\n$/);
    const h = await runBin('pop3d', ['--help']);
    assert.equal(h.code, 0);
    for (const word of ['--config-dir', 'config', 'check', 'start', 'stop', 'restart', 'run', 'preauth']) {
      assert.ok(h.stdout.includes(word), `help mentions ${word}`);
    }
    const u = await runBin('imapd', ['frobnicate']);
    assert.equal(u.code, 1);
    assert.match(u.stderr, /unknown command 'frobnicate'/);
    const n = await runBin('imapd', []);
    assert.equal(n.code, 1);
    assert.match(n.stderr, /Usage: imapd/);
  });
});

describe('imapd main() in-process', () => {
  test('returns exit codes and writes to the given outputs', async () => {
    const t = await configDir({ imapd: 'PORT=abc\n', 'imapd-ssl': TLS_OFF_IMAP });
    try {
      const stdout = bufferOutput();
      const stderr = bufferOutput();
      const code = await imapdMain(['check', '--config-dir', t.dir], 'imapd', { stdout, stderr, env: {} });
      assert.equal(code, 1);
      assert.match(stdout.text(), /imapd:1: error: PORT: 'abc' is not a port number/);
      const cfgOut = bufferOutput();
      assert.equal(
        await imapdMain(['config', '--config-dir', t.dir], 'imapd', { stdout: cfgOut, stderr, env: {} }),
        0,
      );
      assert.match(stderr.text(), /imapd: 1 configuration error\(s\); run 'imapd check' for details/);
    } finally {
      await t.cleanup();
    }
  });
});
