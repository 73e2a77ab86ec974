// FETCH ENVELOPE / BODYSTRUCTURE / BODY over many messages goes through the folder's persistent
// structure cache (courier-ts.structure): the first FETCH fills it (a worker thread scans the
// files), a later one in another session answers from it without reading any message file (proved
// by blanking every file, same size and line ends, between the sessions), for plain and UTF8=ACCEPT
// sessions alike; a damaged cache file changes no reply and is rewritten.
import assert from 'node:assert/strict';
import { copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { STRUCTURE_CACHE_FILE } from '@courier-ts/maildir';
import { fixturesDir } from '../../../support/paths.js';
import { makeTempDir } from '../../../support/tmp.js';
import { runEngine, wire } from '../session/engine-helpers.js';

const MIME = join(fixturesDir, 'imapd', 'mime');
const ALL = 'FETCH 1:* (ENVELOPE BODYSTRUCTURE BODY)';

let dir: { path: string; dispose(): Promise<void> };
let count = 0;

/** Untagged replies of the session (the greeting and tagged lines differ by nothing we test). */
function fetched(output: string): string {
  return output
    .split('\r\n')
    .filter((l) => /^\* \d+ FETCH /.test(l))
    .join('\r\n');
}

/** One session on a copy of the fixture; the cache file it leaves is copied back into the fixture. */
async function session(
  lines: string[],
  keepCache = true,
): Promise<{ out: string; cache: Buffer | undefined }> {
  let cache: Buffer | undefined;
  const { output } = await runEngine(
    wire('a SELECT INBOX', ...lines, 'z LOGOUT'),
    'whole',
    {},
    dir.path,
    async (md) => {
      cache = await readFile(join(md, STRUCTURE_CACHE_FILE)).catch(() => undefined);
      if (keepCache && cache) await writeFile(join(dir.path, STRUCTURE_CACHE_FILE), cache);
    },
  );
  assert.match(output, /\r\nz OK/);
  return { out: fetched(output), cache };
}

/** Every byte but LF becomes `x`: same size and line count, no headers left to parse. */
async function blankMessages(): Promise<void> {
  for (const name of await readdir(join(dir.path, 'cur'))) {
    const p = join(dir.path, 'cur', name);
    const b = await readFile(p);
    for (let i = 0; i < b.length; i++) if (b[i] !== 0x0a) b[i] = 0x78;
    await writeFile(p, b);
  }
}

before(async () => {
  dir = await makeTempDir('courier-ts-structure-cache-');
  await mkdir(join(dir.path, 'cur'), { recursive: true });
  await mkdir(join(dir.path, 'new'), { recursive: true });
  await mkdir(join(dir.path, 'tmp'), { recursive: true });
  // The MIME torture corpus twice over (more than the 32 messages the persistent cache wants).
  const emls = (await readdir(MIME)).filter((f) => f.endsWith('.eml')).sort();
  for (let round = 0; round < 2; round++) {
    for (const f of emls) {
      count++;
      await copyFile(
        join(MIME, f),
        join(dir.path, 'cur', `17000${String(count).padStart(5, '0')}.M${count}P1.t:2,S`),
      );
    }
  }
});
after(() => dir.dispose());

describe('persistent structure cache', () => {
  let plain = '';
  let utf8 = '';
  let bodyEnvelope = '';
  let envelopeOnly = '';
  let envelopeOnlyUtf8 = '';

  test('first FETCH fills the cache; replies as without it', async () => {
    const small = await session(['b FETCH 1:5 (ENVELOPE BODYSTRUCTURE)'], false);
    assert.equal(small.cache, undefined, 'a FETCH of a few messages leaves no cache file');
    utf8 = (await session(['e ENABLE UTF8=ACCEPT', `b ${ALL}`], false)).out;
    bodyEnvelope = (await session(['b FETCH 1:* (BODY ENVELOPE)'], false)).out;
    // ENVELOPE alone reads header blocks only (no cache to fill from them).
    const env = await session(['b FETCH 1:* (UID ENVELOPE)'], false);
    assert.equal(env.cache, undefined);
    envelopeOnly = env.out;
    envelopeOnlyUtf8 = (await session(['e ENABLE UTF8=ACCEPT', 'b FETCH 1:* (UID ENVELOPE)'], false)).out;
    const first = await session([`b ${ALL}`]);
    plain = first.out;
    assert.ok(first.cache && first.cache.length > 1000, 'cache file written');
    assert.equal(plain.split('\r\n').length, count);
    assert.notEqual(plain, utf8, 'the corpus has 8-bit headers: UTF8=ACCEPT replies differ');
    // The same replies as a FETCH of one message at a time (no persistent cache involved).
    const one = await session([`b FETCH 3 (ENVELOPE BODYSTRUCTURE BODY)`], false);
    assert.ok(plain.includes(one.out), 'message 3 as fetched alone');
  });

  test('a second FETCH reads no message file (plain and UTF8=ACCEPT)', async () => {
    await blankMessages();
    assert.equal((await session([`b ${ALL}`])).out, plain);
    assert.equal((await session(['e ENABLE UTF8=ACCEPT', `b ${ALL}`])).out, utf8);
    // BODY alone and in another order come from the same entries.
    assert.equal((await session(['b FETCH 1:* (BODY ENVELOPE)'])).out, bodyEnvelope);
    // ENVELOPE alone too, byte for byte as from the files' header blocks.
    assert.equal((await session(['b FETCH 1:* (UID ENVELOPE)'])).out, envelopeOnly);
    assert.equal(
      (await session(['e ENABLE UTF8=ACCEPT', 'b FETCH 1:* (UID ENVELOPE)'])).out,
      envelopeOnlyUtf8,
    );
  });

  test('a damaged cache file changes no reply and is rewritten', async () => {
    const path = join(dir.path, STRUCTURE_CACHE_FILE);
    const good = await readFile(path);
    const bad = Buffer.from(good);
    bad[Math.floor(bad.length / 2)]! ^= 0xff;
    await writeFile(path, bad);
    // The messages are blank now: what the damaged frame held comes from the blank files.
    const { out, cache } = await session([`b ${ALL}`]);
    assert.equal(out.split('\r\n').length, count);
    assert.notEqual(out, plain, 'the damaged entries were not used');
    assert.ok(cache !== undefined && !cache.equals(bad), 'file rewritten');
    // Rewritten, then filled again: the next FETCH answers the same from it.
    assert.equal((await session([`b ${ALL}`])).out, out);
    assert.ok((await stat(path)).size > 0);
    // Garbage instead of a cache file: ignored, then replaced.
    await writeFile(path, 'not a cache file at all\n');
    const again = await session([`b ${ALL}`]);
    assert.equal(again.out.split('\r\n').length, count);
    assert.ok(again.cache?.subarray(0, 10).toString('latin1').startsWith('courier-ts'));
  });
});
