import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  formatProblem,
  loadAuthdaemonrc,
  loadServerConfig,
  schemaFor,
  serverSchema,
} from '@courier-ts/config';
import { repoRoot } from '../../support/paths.js';

const SAMPLES = join(repoRoot, 'etc-courier');

describe('etc-courier samples', () => {
  for (const server of ['imapd', 'pop3d'] as const) {
    test(`${server} + ${server}-ssl load with zero problems, every value Debian's default`, async () => {
      // checkFiles off: the samples name Debian's certificate paths, which exist only where Courier is installed.
      const cfg = await loadServerConfig({ server, configDir: SAMPLES, env: {}, checkFiles: false });
      assert.deepEqual(cfg.problems.map(formatProblem), []);
      assert.deepEqual(
        cfg.files.map((f) => f.status),
        ['read', 'read'],
      );
      const notDefault = cfg.entries().filter((e) => !e.isDefault || !e.known);
      assert.deepEqual(notDefault, []);
      // Every key with a Debian default is written in the samples (not just defaulted).
      const fromDefaults = cfg
        .entries()
        .filter((e) => e.source.kind === 'default')
        .map((e) => e.key);
      assert.deepEqual(fromDefaults, []);
      // Documented-but-unset keys appear as commented examples.
      const text =
        (await readFile(join(SAMPLES, server), 'utf8')) +
        (await readFile(join(SAMPLES, `${server}-ssl`), 'utf8'));
      for (const key of ['DEFDOMAIN', 'AUTH_MKHOMEDIR_SKEL', 'TLS_PRIVATE_KEYFILE', 'TLS_PROTOCOL']) {
        assert.match(text, new RegExp(`^#${key}=`, 'm'), `${server}: commented example of ${key}`);
      }
      assert.ok(serverSchema(server).keys.length > 0);
    });
  }

  test('authdaemonrc loads with zero problems and Debian defaults', async () => {
    const cfg = await loadAuthdaemonrc({ configDir: SAMPLES, env: {} });
    assert.deepEqual(cfg.problems.map(formatProblem), []);
    const fromDefaults = cfg.entries().filter((e) => e.source.kind === 'default');
    assert.deepEqual(fromDefaults, []);
    assert.ok(cfg.entries().every((e) => e.isDefault && e.known));
    assert.equal(
      cfg.entries().length,
      schemaFor('authdaemonrc').keys.filter((k) => k.default !== undefined).length,
    );
  });

  test('userdb sample: only comments, with a tab-separated example line', async () => {
    const text = await readFile(join(SAMPLES, 'userdb'), 'utf8');
    const lines = text.split('\n').filter((l) => l !== '');
    assert.ok(
      lines.every((l) => l.startsWith('#')),
      'no active account in the sample',
    );
    assert.ok(
      lines.some((l) => /^#[^\s#]+@[^\s]+\tuid=\d+\|gid=\d+\|home=[^|]+/.test(l)),
      'a commented example account',
    );
    assert.match(text, /mode 600/);
    assert.ok((await stat(join(SAMPLES, 'userdb'))).isFile());
  });
});
