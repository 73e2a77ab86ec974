// SEARCH on the scan workers (ScanPool) answers exactly as the main thread does: a folder of the corpus
// four times over (52 messages, enough for the workers), every key kind, searched with and without
// worker threads; plus the pool on its own (missing files, closing, idle stop).
import assert from 'node:assert/strict';
import { copyFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseSearchKeys } from '@courier-ts/imapd';
import { type Folder, openMaildir } from '@courier-ts/maildir';
import { makeTempDir, type TempDir } from '../../../support/tmp.js';
import { parseArgs } from '../protocol/parser-harness.js';
import { corpusDir } from './corpus.js';
import { searchModule } from './imapd-internals.js';

type CO = typeof import('../../../../packages/imapd/src/search/compile.js');
type RS = typeof import('../../../../packages/imapd/src/search/run-search.js');
type HC = typeof import('../../../../packages/imapd/src/search/header-cache.js');
type SR = typeof import('../../../../packages/imapd/src/search/search-request.js');
type SP = typeof import('../../../../packages/imapd/src/search/scan-pool.js');
type MS = typeof import('../../../../packages/imapd/src/search/message-scanner.js');
const { compileSearch } = await searchModule<CO>('compile');
const { runSearch } = await searchModule<RS>('run-search');
const { HeaderCache } = await searchModule<HC>('header-cache');
const { folderSource } = await searchModule<SR>('search-request');
const { ScanPool } = await searchModule<SP>('scan-pool');
const { MessageScanner } = await searchModule<MS>('message-scanner');

let tmp: TempDir;
let folder: Folder;
let names: string[] = [];

before(async () => {
  tmp = await makeTempDir('courier-ts-scan-workers-');
  const dir = join(tmp.path, 'Maildir');
  for (const sub of ['cur', 'new', 'tmp']) await mkdir(join(dir, sub), { recursive: true });
  names = (await readdir(join(corpusDir, 'messages'))).filter((n) => n.endsWith('.eml')).sort();
  let n = 0;
  for (let round = 0; round < 4; round++) {
    for (const name of names) {
      n++;
      await copyFile(
        join(corpusDir, 'messages', name),
        join(dir, 'cur', `${1700000000 + n}.M${n}P1.scan:2,S`),
      );
    }
  }
  folder = await (await openMaildir(dir, { hostname: 'test' })).openFolder('INBOX', { details: 'lazy' });
});
after(async () => {
  await folder.close();
  await tmp.dispose();
});

const SEARCHES = [
  'TEXT fox',
  'TEXT "X-Inner-Flag"',
  'BODY na\xc3\xafve',
  'BODY "smart quotes"',
  'FROM alice',
  'FROM eve',
  'SUBJECT plan',
  'HEADER X-Inner-Flag yes',
  'SENTON 31-Dec-2023',
  'OR FROM alice TEXT Moskva',
  'NOT TEXT the',
  'SEEN TO bob',
];

describe('SEARCH with scan workers = without', () => {
  for (const criteria of SEARCHES) {
    test(criteria, async () => {
      const c = compileSearch(parseSearchKeys(parseArgs(`a SEARCH ${criteria}\r\n`)));
      assert.ok(c.ok);
      const view = { source: folderSource(folder), messages: folder.messages };
      const withWorkers = new HeaderCache();
      const inThread = new HeaderCache({ readAhead: false });
      try {
        const a = (await runSearch(view, c.search, withWorkers)).map((h) => h.seq);
        const b = (await runSearch(view, c.search, inThread)).map((h) => h.seq);
        assert.deepEqual(a, b);
        assert.equal(a.length % 4, 0, 'each corpus message four times');
        // and again from what each cache kept
        assert.deepEqual(
          (await runSearch(view, c.search, withWorkers)).map((h) => h.seq),
          a,
        );
      } finally {
        await withWorkers.workers?.close();
      }
    });
  }
  test('the workers did the reading (the pool ran)', async () => {
    const cache = new HeaderCache();
    const c = compileSearch(parseSearchKeys(parseArgs('a SEARCH TEXT fox\r\n')));
    assert.ok(c.ok);
    await runSearch({ source: folderSource(folder), messages: folder.messages }, c.search, cache);
    assert.ok((cache.workers?.running ?? 0) > 0);
    await cache.workers?.close();
    assert.equal(cache.workers?.running, 0);
  });
});

describe('ScanPool', () => {
  test('outcomes as MessageScanner gives them; null for a missing file; empty after close', async () => {
    const pool = new ScanPool({ threads: 2, idleMs: 20 });
    const c = compileSearch(parseSearchKeys(parseArgs('a SEARCH OR TEXT fox FROM eve\r\n')));
    assert.ok(c.ok);
    const paths = folder.messages.slice(0, 13).map((m) => join(folder.path, 'cur', m.filename));
    paths.push(join(folder.path, 'cur', 'no-such-file'));
    const none = c.search.content.map(() => undefined);
    const out = await pool.scan({
      paths,
      sizes: paths.map(() => Number.NaN),
      keys: c.search.content,
      known: paths.map(() => none),
      collect: false,
    });
    assert.ok(out);
    assert.equal(out.length, 14);
    assert.equal(out[13], null);
    for (let i = 0; i < 13; i++) {
      const scanner: InstanceType<typeof MessageScanner> = new MessageScanner(c.search.content, none, false);
      scanner.push(await readFile(paths[i]!));
      assert.deepEqual(out[i]?.results, scanner.finish().results, names[i]);
    }
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(pool.running, 0, 'stopped when idle');
    await pool.close();
  });
});
