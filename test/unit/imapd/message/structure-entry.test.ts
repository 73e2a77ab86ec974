import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { formatBodyStructure, formatEnvelope, scanMime } from '@courier-ts/imapd';
// Not part of the package's public API: loaded from the build by path (types from its .d.ts).
import type * as EntryModule from '../../../../packages/imapd/dist/message/structure-entry.js';
import { fixturesDir, repoRoot } from '../../../support/paths.js';

const { decodeStructureEntry, encodeStructureEntry, entryText, hasUtf8Forms, makeStructureEntry } =
  (await import(
    pathToFileURL(join(repoRoot, 'packages', 'imapd', 'dist', 'message', 'structure-entry.js')).href
  )) as typeof EntryModule;

const MIME = join(fixturesDir, 'imapd', 'mime');
const corpus = readdirSync(MIME)
  .filter((f) => f.endsWith('.eml'))
  .sort();

describe('structure entry (persistent cache value)', () => {
  for (const name of corpus) {
    test(`${name}: round trip gives the formatted items, plain and UTF8=ACCEPT`, () => {
      const s = scanMime(readFileSync(join(MIME, name)));
      const decoded = decodeStructureEntry(encodeStructureEntry(makeStructureEntry(s)));
      assert.ok(decoded);
      for (const utf8 of [false, true]) {
        const want = {
          envelope: formatEnvelope(s.root.header ?? '', utf8),
          bodyStructure: formatBodyStructure(s.root, true, utf8),
          body: formatBodyStructure(s.root, false, utf8),
        };
        for (const item of ['envelope', 'bodyStructure', 'body'] as const) {
          assert.equal(entryText(decoded, item, utf8).toString('latin1'), want[item], `${item} utf8=${utf8}`);
        }
      }
    });
  }

  test('UTF8=ACCEPT forms are stored only when they differ', () => {
    const ascii = makeStructureEntry(scanMime(readFileSync(join(MIME, 'simple-text.eml'))));
    assert.equal(hasUtf8Forms(ascii), false);
    assert.equal(typeof ascii.text, 'string', 'ASCII texts are kept as a string');
    const eight = makeStructureEntry(scanMime(readFileSync(join(MIME, '8bit-headers.eml'))));
    assert.ok(hasUtf8Forms(eight));
    assert.ok(Buffer.isBuffer(eight.text), '8-bit UTF8=ACCEPT forms are kept as bytes');
  });

  test('anything else decodes to undefined, never throws', () => {
    const good = encodeStructureEntry(
      makeStructureEntry(scanMime(readFileSync(join(MIME, '8bit-headers.eml')))),
    );
    const cases: Buffer[] = [
      Buffer.alloc(0),
      Buffer.from([1]),
      Buffer.from([2, 0]),
      Buffer.from([1, 4]),
      good.subarray(0, good.length - 1),
      Buffer.concat([good, Buffer.from([0])]),
    ];
    for (let cut = 2; cut < Math.min(good.length, 40); cut++) cases.push(good.subarray(0, cut));
    const huge = Buffer.from(good);
    huge.writeUInt32LE(0xffffffff, 2);
    cases.push(huge);
    for (const c of cases) assert.equal(decodeStructureEntry(c), undefined, c.toString('hex').slice(0, 40));
  });
});
