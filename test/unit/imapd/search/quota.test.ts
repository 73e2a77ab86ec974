// The QUOTA resource list as Courier prints it from maildirsize.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { searchModule } from './imapd-internals.js';

type QU = typeof import('../../../../packages/imapd/src/commands/quota.js');
const { quotaResources } = await searchModule<QU>('../commands/quota');

describe('quotaResources', () => {
  const cases: [Parameters<typeof quotaResources>[0], string][] = [
    [undefined, ''],
    [
      { limitBytes: 10000, limitMessages: 100, usedBytes: 937, usedMessages: 2 },
      ' (STORAGE 1 10 MESSAGE 2 100)',
    ],
    [{ limitBytes: 5000, limitMessages: undefined, usedBytes: 1000, usedMessages: 3 }, ' (STORAGE 1 5)'],
    [{ limitBytes: undefined, limitMessages: 7, usedBytes: 1000, usedMessages: 3 }, ' (MESSAGE 3 7)'],
    [{ limitBytes: 1024, limitMessages: undefined, usedBytes: 1025, usedMessages: 1 }, ' (STORAGE 2 1)'],
    [{ limitBytes: 2048, limitMessages: undefined, usedBytes: 0, usedMessages: 0 }, ' (STORAGE 0 2)'],
    [{ limitBytes: undefined, limitMessages: undefined, usedBytes: 5, usedMessages: 1 }, ''],
  ];
  for (const [q, want] of cases) test(JSON.stringify(q), () => assert.equal(quotaResources(q), want));
});
