import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadServerConfig, readShellText } from '@courier-ts/config';
import { bufferOutput, checkConfig, printConfig, shQuote } from '@courier-ts/config/cli';
import { configDir } from './helpers.js';

const IMAPD = [
  '# test',
  'PORT=1143',
  'IMAP_CAPABILITY="IMAP4rev1 IDLE"',
  'IMAP_CAPABILITY_TLS="$IMAP_CAPABILITY AUTH=PLAIN"',
  'MAXDAEMONS=40',
  'IMAP_CAPABILTY=x',
  'HEADERFROM=\'X-"$odd" `q` \\\\\'',
  '',
].join('\n');

async function load(env: Record<string, string> = {}) {
  const t = await configDir({ imapd: IMAPD, 'imapd-ssl': 'IMAPDSSLSTART=NO\nIMAPDSTARTTLS=NO\n' });
  const cfg = await loadServerConfig({ server: 'imapd', configDir: t.dir, env });
  return { t, cfg };
}

describe('printConfig (text)', () => {
  test('one line per setting in force, sources as comments, output sources back to the same values', async () => {
    const { t, cfg } = await load({ DEFDOMAIN: '@example.com' });
    try {
      const out = bufferOutput();
      printConfig(cfg, {}, out);
      const text = out.text();
      const lines = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
      assert.equal(lines.length, cfg.entries().length);
      const base = join(t.dir, 'imapd');
      assert.match(text, new RegExp(`^PORT=1143 +# ${base}:2\\n`, 'm'));
      assert.match(text, /^IMAP_CAPABILITY_TLS="IMAP4rev1 IDLE AUTH=PLAIN" +# .*imapd:4, same as default$/m);
      assert.match(text, /^IMAP_CAPABILTY=x +# .*imapd:6, unknown key$/m);
      assert.match(text, /^DEFDOMAIN=@example.com +# environment$/m);
      assert.match(text, /^SSLPORT=993 +# default$/m);
      assert.match(text, /^# 0 error\(s\), 1 warning\(s\)/m);
      // Round trip: the printed settings, sourced again, give the same values.
      const again = readShellText(text);
      assert.deepEqual(again.problems, []);
      const values = Object.fromEntries(again.assignments.map((a) => [a.key, a.value]));
      assert.deepEqual(values, cfg.environment());
      // Comments line up at one column for short settings.
      const cols = lines.map((l) => l.indexOf('  # ')).filter((c) => c <= 48);
      assert.ok(cols.length > 10);
      assert.deepEqual([...new Set(cols)], [48]);
    } finally {
      await t.cleanup();
    }
  });

  test('--changed prints only values that differ from the defaults', async () => {
    const { t, cfg } = await load();
    try {
      const out = bufferOutput();
      printConfig(cfg, { changed: true }, out);
      const keys = out
        .text()
        .split('\n')
        .filter((l) => l !== '' && !l.startsWith('#'))
        .map((l) => l.slice(0, l.indexOf('=')));
      assert.deepEqual(keys, [
        'PORT',
        'IMAP_CAPABILITY',
        'IMAP_CAPABILTY',
        'HEADERFROM',
        'IMAPDSSLSTART',
        'IMAPDSTARTTLS',
      ]);
    } finally {
      await t.cleanup();
    }
  });

  test('shQuote', () => {
    const cases: [string, string][] = [
      ['143', '143'],
      ['', '""'],
      ['a b', '"a b"'],
      ['$x', '"\\$x"'],
      ['"`\\', '"\\"\\`\\\\"'],
      ['/run/courier/imapd.pid', '/run/courier/imapd.pid'],
    ];
    for (const [input, want] of cases) assert.equal(shQuote(input), want);
  });
});

describe('printConfig (json)', () => {
  test('machine-readable document with settings, sources and problems', async () => {
    const { t, cfg } = await load({ MAXPERIP: '7' });
    try {
      const out = bufferOutput();
      printConfig(cfg, { json: true }, out);
      const doc = JSON.parse(out.text());
      assert.equal(doc.name, 'imapd');
      assert.equal(doc.settings.length, cfg.entries().length);
      const port = doc.settings.find((s: { key: string }) => s.key === 'PORT');
      assert.deepEqual(port, {
        key: 'PORT',
        value: '1143',
        source: `${join(t.dir, 'imapd')}:2`,
        file: join(t.dir, 'imapd'),
        line: 2,
        isDefault: false,
        known: true,
      });
      assert.equal(doc.settings.find((s: { key: string }) => s.key === 'MAXPERIP').source, 'environment');
      assert.equal(doc.settings.find((s: { key: string }) => s.key === 'SSLPORT').source, 'default');
      assert.equal(doc.problems.length, 1);
      assert.equal(doc.problems[0].suggestion, 'IMAP_CAPABILITY');

      const changed = bufferOutput();
      printConfig(cfg, { json: true, changed: true }, changed);
      const keys = JSON.parse(changed.text()).settings.map((s: { key: string }) => s.key);
      assert.ok(keys.includes('MAXPERIP') && !keys.includes('SSLPORT') && !keys.includes('MAXDAEMONS'));
    } finally {
      await t.cleanup();
    }
  });
});

describe('checkConfig', () => {
  test('prints file:line: severity: message and exits 1 on errors', async () => {
    const t = await configDir({
      pop3d: 'PORT=abc\nPOP3AUHT=PLAIN\nMAXPERIP=-4\n',
      'pop3d-ssl': 'POP3DSSLSTART=NO\nPOP3_STARTTLS=NO\n',
    });
    try {
      const cfg = await loadServerConfig({ server: 'pop3d', configDir: t.dir, env: {} });
      const out = bufferOutput();
      const code = await checkConfig(cfg, out);
      const base = join(t.dir, 'pop3d');
      assert.equal(code, 1);
      assert.equal(
        out.text(),
        [
          `${base}:1: error: PORT: 'abc' is not a port number`,
          `${base}:2: warning: unknown key POP3AUHT (kept, but nothing reads it); did you mean POP3AUTH?`,
          `${base}:3: error: MAXPERIP: -4 is below the minimum 0`,
          'pop3d: 2 errors, 1 warning',
          '',
        ].join('\n'),
      );
    } finally {
      await t.cleanup();
    }
  });

  test('warnings alone exit 0; a clean config says OK', async () => {
    const t = await configDir({ pop3d: 'PORTT=1\n', 'pop3d-ssl': 'POP3DSSLSTART=NO\nPOP3_STARTTLS=NO\n' });
    try {
      const cfg = await loadServerConfig({ server: 'pop3d', configDir: t.dir, env: {} });
      const out = bufferOutput();
      assert.equal(await checkConfig(cfg, out), 0);
      assert.match(out.text(), /pop3d: 0 errors, 1 warning\n$/);
    } finally {
      await t.cleanup();
    }
    const ok = await configDir({ pop3d: 'PORT=110\n', 'pop3d-ssl': 'POP3DSSLSTART=NO\nPOP3_STARTTLS=NO\n' });
    try {
      const cfg = await loadServerConfig({ server: 'pop3d', configDir: ok.dir, env: {} });
      const out = bufferOutput();
      assert.equal(await checkConfig(cfg, out), 0);
      assert.match(out.text(), /^pop3d: configuration OK \(\d+ settings; read .*pop3d, .*pop3d-ssl\)\n$/);
    } finally {
      await ok.cleanup();
      await t.cleanup();
    }
  });
});
