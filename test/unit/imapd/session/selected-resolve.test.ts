// SelectedMailbox.resolve for UID sets: a slice of the view per range (binary search), the same
// messages and sequence numbers as testing every message against the set.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseSequenceSet, rangesContain, resolveSequenceSet, SelectedMailbox } from '@courier-ts/imapd';
import { openMaildir } from '@courier-ts/maildir';
import { createMaildir } from '../../../support/maildir-fixture.js';
import { makeTempDir } from '../../../support/tmp.js';

test('UID sets resolve to the messages whose UIDs they name, in UID order, with their sequence numbers', async () => {
  const tmp = await makeTempDir('courier-ts-imapd-resolve-');
  try {
    const root = join(tmp.path, 'Maildir');
    await createMaildir(root, { fixture: 'basic' });
    for (let i = 0; i < 12; i++)
      await writeFile(
        join(root, 'cur', `17000001${String(i).padStart(2, '0')}.M${i}P9.r:2,S`),
        'Subject: r\n\nx\n',
      );
    const md = await openMaildir(root);
    const folder = await md.openFolder('INBOX');
    try {
      // Holes in the UIDs: expunge a few so that UIDs and sequence numbers differ.
      const drop = folder.messages.filter((_, i) => i === 1 || i === 5 || i === 6);
      await folder.expunge(drop);
      const mb = new SelectedMailbox(folder, { keywords: true });
      const uids = mb.messages.map((m) => m.uid);
      const max = uids[uids.length - 1]!;
      assert.ok(uids.length > 8 && max > uids.length, `holes expected: ${uids.join(',')}`);
      for (const text of [
        '1:*',
        '*',
        `${max}:*`,
        `${max + 5}:*`, // above the highest UID: the last message (RFC 3501 `n:*`)
        `${max + 5}`,
        '2',
        `${uids[1]}`,
        `${uids[3]}:${uids[7]}`,
        `${uids[7]}:${uids[3]}`,
        '1,3,5,7,9,11,13',
        `${uids[2]}:${uids[4]},${uids[3]}:${uids[6]},1`,
        `${max + 1}:${max + 9}`,
      ]) {
        const set = parseSequenceSet(text);
        const r = mb.resolve(set, true);
        const ranges = resolveSequenceSet(set, max);
        const want = mb.messages.filter((m) => rangesContain(ranges, m.uid));
        assert.deepEqual(
          r.messages.map((m) => m.uid),
          want.map((m) => m.uid),
          text,
        );
        assert.deepEqual(
          r.entries.map((e) => ('seq' in e ? [e.seq, e.message.uid] : e)),
          want.map((m) => [mb.seqOf(m.uid), m.uid]),
          text,
        );
        assert.deepEqual(r.invalid, []);
      }
    } finally {
      await folder.close();
    }
  } finally {
    await tmp.dispose();
  }
});
