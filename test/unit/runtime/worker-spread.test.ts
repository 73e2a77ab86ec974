// Where WorkerPool puts a new session of a uid: pickWorker, table-driven.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../../support/paths.js';

const { pickWorker } = (await import(
  pathToFileURL(join(repoRoot, 'packages', 'runtime', 'dist', 'privilege', 'spread.js')).href
)) as typeof import('../../../packages/runtime/src/privilege/spread.js');

const w = (active: number, sessions = active, elu = 0.9) => ({ active, sessions, elu });

test('pickWorker', () => {
  const cases: [string, ReturnType<typeof w>[], number, number, number | 'new'][] = [
    ['busy sessions, quiet event loop: no other worker', [w(6, 6, 0.5)], 2, 4, 0],
    ['the least busy one decides', [w(5, 5, 0.9), w(4, 4, 0.2)], 3, 4, 1],
    ['no worker yet: start one', [], 2, 4, 'new'],
    ['one quiet worker takes it', [w(0)], 2, 4, 0],
    ['below spreadAt: the same worker', [w(3)], 2, 4, 0],
    ['at spreadAt: another worker', [w(4)], 2, 4, 'new'],
    ['idling sessions do not count', [w(0, 900)], 2, 4, 0],
    ['at the limit: the least busy one', [w(9), w(5)], 2, 4, 1],
    ['fewest at work wins', [w(5), w(4)], 3, 8, 1],
    ['then fewest sessions', [w(2, 50), w(2, 3)], 3, 8, 1],
    ['then the oldest', [w(2), w(2)], 3, 8, 0],
    ['all busy, room for more', [w(4), w(5)], 3, 4, 'new'],
    ['one process per uid', [w(50)], 1, 4, 0],
  ];
  for (const [name, workers, max, spreadAt, want] of cases) {
    assert.equal(pickWorker(workers, { max, spreadAt, busyElu: 0.7 }), want, name);
  }
});
