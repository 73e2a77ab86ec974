// StructureMemo: entries by folder and UID, used only for the same message file (unique key, size);
// bounded in bytes, dropping the folders used least recently and never the entries of the folder
// being filled.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
// Not part of the package's public API: loaded from the build by path (types from its .d.ts).
import type * as MemoModule from '../../../../packages/imapd/dist/commands/fetch/structure-memo.js';
import type { StructureEntry } from '../../../../packages/imapd/dist/message/structure-entry.js';
import { repoRoot } from '../../../support/paths.js';

const { StructureMemo } = (await import(
  pathToFileURL(join(repoRoot, 'packages', 'imapd', 'dist', 'commands', 'fetch', 'structure-memo.js')).href
)) as typeof MemoModule;

function entry(text: string): StructureEntry {
  return { text: text.repeat(3), ends: [text.length, text.length * 2, text.length * 3] };
}

const KEY = '1700000000.M1P1.host,S=500';

describe('StructureMemo', () => {
  test('an entry is found by folder and UID for the same file (unique key and size) only', () => {
    const memo = new StructureMemo(1 << 20);
    const e = entry('x'.repeat(100));
    memo.set('/f', 7, KEY, 500, e);
    const f = memo.folder('/f');
    assert.equal(memo.get(f, 7, KEY, 500), e);
    assert.equal(memo.get(f, 7, `${KEY}:2,S`, 500), e, 'flags in the name do not matter');
    assert.equal(memo.get(f, 7, `${KEY}:2,FS`, Number.NaN), e, 'size not known: any');
    assert.equal(memo.get(f, 7, KEY, 501), undefined, 'another size: another file');
    assert.equal(memo.get(f, 7, '1700000000.M1P1.host,S=5000:2,S', 500), undefined, 'another key');
    assert.equal(memo.get(f, 7, '1700000000.M1P1.host,S=50:2,S', 500), undefined, 'a key prefix only');
    assert.equal(memo.get(f, 7, `${KEY}:x:2,S`, 500), undefined, 'the key is up to the last colon');
    assert.equal(memo.get(f, 8, KEY, 500), undefined, 'another UID');
    assert.equal(memo.get(memo.folder('/g'), 7, KEY, 500), undefined, 'another folder');
    // Entries of unknown size are not kept.
    memo.set('/f', 9, KEY, Number.NaN, e);
    assert.equal(memo.get(f, 9, KEY, Number.NaN), undefined);
  });

  test('a replaced entry is counted once', () => {
    const memo = new StructureMemo(1 << 20);
    memo.set('/f', 1, KEY, 1, entry('a'.repeat(100)));
    const once = memo.bytes;
    memo.set('/f', 1, KEY, 2, entry('a'.repeat(100)));
    assert.equal(memo.bytes, once);
    assert.equal(memo.get(memo.folder('/f'), 1, KEY, 1), undefined);
    assert.ok(memo.get(memo.folder('/f'), 1, KEY, 2));
  });

  test('bounded: older folders go first, the folder being filled keeps its entries', () => {
    const e = entry('y'.repeat(1000));
    const memo = new StructureMemo(10_000);
    for (let i = 0; i < 4; i++) memo.set('/a', i, `a${i}`, 1, e);
    for (let i = 0; i < 4; i++) memo.set('/b', i, `b${i}`, 1, e);
    assert.ok(memo.bytes <= 10_000);
    // /a was dropped to make room for /b.
    assert.equal(memo.get(memo.folder('/a'), 0, 'a0', 1), undefined);
    assert.ok(memo.get(memo.folder('/b'), 0, 'b0', 1));
    // /b full: further entries of /b are not kept, those it has stay.
    for (let i = 4; i < 20; i++) memo.set('/b', i, `b${i}`, 1, e);
    const b = memo.folder('/b');
    assert.ok(memo.get(b, 0, 'b0', 1));
    assert.equal(memo.get(b, 19, 'b19', 1), undefined);
    assert.ok(memo.bytes <= 10_000);
    // Another folder takes the room of /b, the least recently used.
    memo.set('/c', 0, 'c0', 1, e);
    assert.ok(memo.get(memo.folder('/c'), 0, 'c0', 1));
    assert.equal(memo.get(memo.folder('/b'), 0, 'b0', 1), undefined);
  });

  test('bound 0: nothing is kept', () => {
    const memo = new StructureMemo(0);
    memo.set('/f', 1, 'k', 1, entry('z'));
    assert.equal(memo.get(memo.folder('/f'), 1, 'k', 1), undefined);
    assert.equal(memo.bytes, 0);
  });
});
