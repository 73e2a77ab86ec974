// The spare worker's warm-ups, run in this process: each drives its server's real session code over a
// socket pair on a scratch maildir (every reply arrives, as the count shows), stops early when told,
// and leaves no scratch maildir behind either way.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { resolveImapdSettings, warmUpImap } from '@courier-ts/imapd';
import { resolvePop3dSettings, warmUpPop3 } from '@courier-ts/pop3d';
import { envSource } from '@courier-ts/runtime';

// A temporary directory of this file's own: spare workers of servers started by other tests (or other
// people on this machine) make their scratch maildirs in the shared one at the same time.
const privateTmp = mkdtempSync(join(tmpdir(), 'warm-up-test-'));
process.env.TMPDIR = privateTmp;
after(() => rmSync(privateTmp, { recursive: true, force: true }));

async function scratchDirs(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((n) => n.startsWith('courier-ts-warm-up-'));
}

const log = { format: 'json', level: 'info' } as const;
const imapArg = { settings: resolveImapdSettings(envSource({}), {}).session, log };
const p = resolvePop3dSettings(envSource({}), {});
const pop3Settings = {
  idleTimeoutMs: p.idleTimeoutMs,
  maxLineLength: p.maxLineLength,
  maxBadCommands: p.maxBadCommands,
  unicodeMessageType: p.unicodeMessageType,
  logDeletions: p.logDeletions,
  respCodes: p.respCodes,
};

describe('session warm-ups', () => {
  test('IMAP: three whole sessions, every command answered, nothing left behind', async () => {
    const before = await scratchDirs();
    // Per session: greeting, 4 + 8 + 2 before the messages, 300 BODY[], 60 + 42 + 90 among them,
    // 4 rounds over the last 13 (the 7 larger ones among them: 13 BODY[] and one FETCH), 1500
    // single BODY[] FETCHes, 300 NOOP and 5 at the end.
    assert.equal(await warmUpImap(imapArg, new AbortController().signal), 3 * (812 + 4 * 14 + 1500));
    assert.deepEqual(await scratchDirs(), before);
  });

  test('POP3: three whole sessions, every command answered, nothing left behind', async () => {
    const before = await scratchDirs();
    // Per session: greeting, 400 STAT, CAPA, 6 LIST/UIDL, 300 x 3 + 75 TOP + 30 DELE, 4 rounds of
    // RETR of the 7 larger messages, 4 at the end.
    assert.equal(
      await warmUpPop3({ settings: pop3Settings, log }, new AbortController().signal),
      3 * (1417 + 4 * 7),
    );
    assert.deepEqual(await scratchDirs(), before);
  });

  test('stopped early when the signal fires, and cleaned up', async () => {
    const before = await scratchDirs();
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 100);
    const replies = await warmUpImap(imapArg, stop.signal);
    assert.ok(replies < 3 * 812, `stopped early (${replies} replies)`);
    assert.deepEqual(await scratchDirs(), before);
  });
});
