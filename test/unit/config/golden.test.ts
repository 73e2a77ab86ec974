/**
 * Golden outputs of `imapd check` and `imapd config --changed [--json]` for a config with typical
 * mistakes (test/fixtures/config/typos). Paths are relative to the repository root, where the CLI runs.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fixturesDir } from '../../support/paths.js';
import { runBin } from './run-bin.js';

const DIR = 'test/fixtures/config/typos';
const expected = (name: string): Promise<string> =>
  readFile(join(fixturesDir, 'config', 'typos', name), 'utf8');

describe('golden outputs (test/fixtures/config/typos)', () => {
  test('imapd check', async () => {
    const r = await runBin('imapd', ['check', '--config-dir', DIR]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, await expected('check.expected'));
  });

  test('imapd config --changed', async () => {
    const r = await runBin('imapd', ['config', '--changed', '--config-dir', DIR]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, await expected('config-changed.expected'));
    assert.equal(r.stderr, "imapd: 5 configuration error(s); run 'imapd check' for details\n");
  });

  test('imapd config --changed --json', async () => {
    const r = await runBin('imapd', ['config', '--changed', '--json', '--config-dir', DIR]);
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout), JSON.parse(await expected('config-changed.json.expected')));
  });
});
