// The search engine on the corpus maildir through @courier-ts/maildir: content keys read files only
// when cheap keys and the cached headers cannot decide; a second SORT reads no message file.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseSearchKeys } from '@courier-ts/imapd';
import { type Folder, type MessageInfo, openMaildir } from '@courier-ts/maildir';
import { makeTempDir, type TempDir } from '../../../support/tmp.js';
import { parseArgs } from '../protocol/parser-harness.js';
import { buildCorpusMaildir } from './corpus.js';
import { searchModule } from './imapd-internals.js';

type CO = typeof import('../../../../packages/imapd/src/search/compile.js');
type RS = typeof import('../../../../packages/imapd/src/search/run-search.js');
type HC = typeof import('../../../../packages/imapd/src/search/header-cache.js');
type MM = typeof import('../../../../packages/imapd/src/search/message-meta.js');
type SO = typeof import('../../../../packages/imapd/src/search/sort.js');
const { compileSearch } = await searchModule<CO>('compile');
const { runSearch } = await searchModule<RS>('run-search');
const { HeaderCache } = await searchModule<HC>('header-cache');
const { loadMeta } = await searchModule<MM>('message-meta');
const { sortMessages, parseSortCriteria } = await searchModule<SO>('sort');

let tmp: TempDir;
let folder: Folder;
/** Counts what the engine reads from the folder. */
const reads = { headers: 0, bodies: 0 };

before(async () => {
  tmp = await makeTempDir('courier-ts-engine-');
  const dir = join(tmp.path, 'Maildir');
  await buildCorpusMaildir(dir);
  const md = await openMaildir(dir, { hostname: 'test' });
  folder = await md.openFolder('INBOX');
});
after(async () => {
  await folder.close();
  await tmp.dispose();
});

function counted(f: Folder) {
  return {
    path: f.path,
    readHeaders(m: MessageInfo, max: number) {
      reads.headers++;
      return f.readHeaders(m, max);
    },
    openMessage(m: MessageInfo) {
      reads.bodies++;
      return f.openMessage(m);
    },
  };
}

async function search(criteria: string, cache = new HeaderCache()): Promise<number[]> {
  const c = compileSearch(parseSearchKeys(parseArgs(`a SEARCH ${criteria}\r\n`)));
  assert.ok(c.ok);
  const hits = await runSearch({ source: counted(folder), messages: folder.messages }, c.search, cache);
  return hits.map((h) => h.seq);
}

describe('search engine on the corpus', () => {
  test('flag-only keys read nothing', async () => {
    reads.headers = reads.bodies = 0;
    assert.deepEqual(await search('FLAGGED'), [3, 8]);
    assert.deepEqual(reads, { headers: 0, bodies: 0 });
  });
  test('a top-level header match needs no body; single-part misses are final', async () => {
    reads.headers = reads.bodies = 0;
    const cache = new HeaderCache();
    assert.deepEqual(await search('FROM alice', cache), [1, 12]);
    // multipart messages (4, 8) are streamed for their inner header blocks; the 11 others are not
    assert.equal(reads.headers, 13);
    assert.equal(reads.bodies, 2);
    reads.headers = reads.bodies = 0;
    assert.deepEqual(await search('SUBJECT plan', cache), [1, 2, 5, 7, 12]);
    assert.deepEqual(reads, { headers: 0, bodies: 0 }, 'second header search is served from the cache');
  });
  test('body keys stream only the messages the cheap keys leave open', async () => {
    reads.headers = reads.bodies = 0;
    assert.deepEqual(await search('SEEN BODY fox'), [1]);
    assert.equal(reads.bodies, 6, 'the 6 \\Seen messages');
  });
  test('attached message headers and bodies count (Courier)', async () => {
    assert.deepEqual(await search('FROM eve'), [4]);
    assert.deepEqual(await search('SENTON 31-Dec-2023'), [4]);
    assert.deepEqual(await search('BODY na\xc3\xafve'), [4]); // UTF-8 bytes: parseArgs sends latin1
    assert.deepEqual(await search('TEXT "X-Inner-Flag"'), [4]);
  });
  test('a second SORT reads no message file', async () => {
    const cache = new HeaderCache();
    const all = folder.messages.map((msg, i) => ({ msg, seq: i + 1 }));
    const crit = parseSortCriteria(['SUBJECT', 'DATE']);
    assert.ok(crit);
    reads.headers = reads.bodies = 0;
    const first = sortMessages(await loadMeta(counted(folder), cache, all), crit).map((m) => m.seq);
    assert.equal(reads.headers, 13);
    reads.headers = 0;
    const second = sortMessages(await loadMeta(counted(folder), cache, all), crit).map((m) => m.seq);
    assert.deepEqual(second, first);
    assert.deepEqual(reads, { headers: 0, bodies: 0 });
    assert.deepEqual(first, [6, 4, 9, 10, 8, 7, 1, 5, 12, 2, 3, 13, 11]);
  });
  test('a message file that vanished does not match and does not fail the search', async () => {
    const c = compileSearch(parseSearchKeys(parseArgs('a SEARCH BODY fox\r\n')));
    assert.ok(c.ok);
    const gone = {
      path: folder.path,
      readHeaders: () => Promise.reject(new Error('gone')),
      openMessage: (m: MessageInfo) => folder.openMessage(m),
      rawPath: (m: MessageInfo) =>
        m.uid === 1 ? join(folder.path, 'cur', 'no-such-file') : join(folder.path, 'cur', m.filename),
    };
    const hits = await runSearch({ source: gone, messages: folder.messages }, c.search, new HeaderCache());
    // message 1 is still readable through openMessage (the fallback); 12 through its file
    assert.deepEqual(
      hits.map((h) => h.seq),
      [1, 12],
    );
    const { Readable } = await import('node:stream');
    const failing = () =>
      new Readable({
        read() {
          this.destroy(new Error('gone'));
        },
      });
    const broken = { ...gone, openMessage: failing };
    const hits2 = await runSearch({ source: broken, messages: folder.messages }, c.search, new HeaderCache());
    assert.deepEqual(
      hits2.map((h) => h.seq),
      [12],
    );
  });
  test('the header cache keeps to its byte budget', async () => {
    const cache = new HeaderCache({ maxBytes: 2000 });
    const all = folder.messages.map((msg, i) => ({ msg, seq: i + 1 }));
    reads.headers = 0;
    await loadMeta(counted(folder), cache, all);
    assert.ok(cache.bytes <= 2000, `${cache.bytes} bytes kept`);
    assert.ok(cache.size >= 1 && cache.size < 13, `${cache.size} messages kept`);
    await loadMeta(counted(folder), cache, all);
    assert.ok(reads.headers > 13, 'only some messages kept: the second pass reads again');
  });
  test('header values: a key on a field the cache does not keep reads the files again', async () => {
    const cache = new HeaderCache();
    assert.deepEqual(await search('FROM eve', cache), [4]);
    reads.headers = reads.bodies = 0;
    assert.deepEqual(await search('OR TO nobody CC nobody', cache), []);
    assert.deepEqual(reads, { headers: 0, bodies: 0 }, 'To and Cc of every block are kept');
    assert.deepEqual(await search('HEADER X-Inner-Flag yes', cache), [4]);
    assert.equal(reads.bodies, 2, 'the two multipart messages are read again');
  });
});
