// SEARCH / SORT on a generated, realistic INBOX (mkmaildir.py, 400 messages, fixed seed) under the
// real Courier and under courier-ts. SEARCH answers must be equal. SORT orders must be equal once
// Courier's descending tie order is turned round (deviation S4 in docs/deviations.md): the runs of
// messages with equal keys (computed by our engine) are reversed in Courier's answer.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openMaildir } from '@courier-ts/maildir';
import { courierAvailability } from '../../support/courier.js';
import { sharedToolsDir } from '../../support/paths.js';
import { makeTempDir, type TempDir } from '../../support/tmp.js';
import { searchModule } from '../../unit/imapd/search/imapd-internals.js';
import { runOurSession } from './search-session.js';
import { runCourierImapd, splitBlocks } from './search-transcript.js';

type HC = typeof import('../../../packages/imapd/src/search/header-cache.js');
type MM = typeof import('../../../packages/imapd/src/search/message-meta.js');

process.env.TZ = 'UTC';
const SEARCHES = [
  'SEARCH FROM "alice"',
  'SEARCH SUBJECT "re:"',
  'SEARCH TEXT "xylophone"',
  'SEARCH BODY "xylophone"',
  'SEARCH HEADER List-Id ""',
  'SEARCH NOT SEEN SINCE 1-Jan-2015',
  'SEARCH OR FLAGGED ANSWERED',
  'SEARCH KEYWORD $Forwarded',
  'SEARCH SENTSINCE 1-Jan-2020 SENTBEFORE 1-Jan-2021',
];
const SORTS: [string, 'sentMs' | 'subjectKey' | 'arrival'][] = [
  ['SORT (DATE) UTF-8 ALL', 'sentMs'],
  ['SORT (SUBJECT) UTF-8 ALL', 'subjectKey'],
  ['SORT (ARRIVAL) UTF-8 ALL', 'arrival'],
  ['SORT (REVERSE DATE) UTF-8 ALL', 'sentMs'],
];

let tmp: TempDir | undefined;
let base = '';
const skip = ((): string | undefined => {
  const a = courierAvailability(false);
  if (!a.ok) return a.reason;
  if (spawnSync('python3', ['--version']).status !== 0) return 'python3 missing';
  return undefined;
})();

before(async () => {
  if (skip) return;
  tmp = await makeTempDir('courier-ts-gen-');
  base = join(tmp.path, 'base');
  const r = spawnSync('python3', [
    join(sharedToolsDir, 'mkmaildir.py'),
    base,
    '--messages',
    '400',
    '--seed',
    '7',
    '--no-large',
    '--folder-scale',
    '0',
  ]);
  assert.equal(r.status, 0, String(r.stderr));
});
after(() => tmp?.dispose());

function script(cmds: readonly string[]): Buffer {
  return Buffer.from(`a SELECT INBOX\r\n${cmds.map((c, i) => `q${i + 1} ${c}\r\n`).join('')}z LOGOUT\r\n`);
}

describe('search family on a generated INBOX: courier-ts vs the real Courier', { skip }, () => {
  test('SEARCH answers are equal; SORT orders are equal up to Courier tie order', async () => {
    const cmds = [...SEARCHES, ...SORTS.map((s) => s[0])];
    const courierDir = join(tmp!.path, 'courier');
    const oursDir = join(tmp!.path, 'ours');
    await cp(base, courierDir, { recursive: true, preserveTimestamps: true });
    await cp(base, oursDir, { recursive: true, preserveTimestamps: true });
    const theirs = splitBlocks(await runCourierImapd(courierDir, script(cmds)));
    const ours = splitBlocks(await runOurSession(oursDir, script(cmds)));
    for (let i = 0; i < SEARCHES.length; i++) {
      const tag = `q${i + 1}`;
      assert.deepEqual(ours.get(tag), theirs.get(tag), SEARCHES[i]);
      assert.match(theirs.get(tag)![0]!, /^\* SEARCH/);
    }
    // Keys as our engine computes them, by sequence number.
    const { HeaderCache } = await searchModule<HC>('header-cache');
    const { loadMeta } = await searchModule<MM>('message-meta');
    const folder = await (await openMaildir(oursDir)).openFolder('INBOX', { readOnly: true });
    const meta = await loadMeta(
      folder,
      new HeaderCache(),
      folder.messages.map((msg, i) => ({ msg, seq: i + 1 })),
    );
    await folder.close();
    const keyOf = (seq: number, k: (typeof SORTS)[number][1]): string | number =>
      k === 'arrival' ? meta[seq - 1]!.msg.mtime.getTime() : meta[seq - 1]![k];
    SORTS.forEach(([cmd, key], j) => {
      const tag = `q${SEARCHES.length + j + 1}`;
      const nums = (lines: string[] | undefined): number[] =>
        (lines?.[0] ?? '')
          .replace(/^\* SORT ?/, '')
          .split(' ')
          .filter(Boolean)
          .map(Number);
      const courierOrder = nums(theirs.get(tag));
      const turned: number[] = [];
      let run: number[] = [];
      for (const s of courierOrder) {
        if (run.length > 0 && keyOf(run[0]!, key) !== keyOf(s, key)) {
          turned.push(...run.reverse());
          run = [];
        }
        run.push(s);
      }
      turned.push(...run.reverse());
      assert.equal(courierOrder.length, 400, cmd);
      assert.deepEqual(nums(ours.get(tag)), turned, cmd);
    });
  });
});
