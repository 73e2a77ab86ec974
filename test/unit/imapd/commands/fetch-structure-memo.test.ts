// The structure provider keeps the formatted ENVELOPE/BODYSTRUCTURE of messages fetched lately in
// memory (structure-memo.ts), for every session of the process: a second FETCH over the folder in
// another session answers from there with neither the cache file nor the message files (proved by
// removing the one and blanking the others), and never for a message file that changed (a file of
// another size under the same name is scanned again).
import assert from 'node:assert/strict';
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Duplex, PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { createImapSessionMain, createStructureProvider, imapRegistry } from '@courier-ts/imapd';
import { STRUCTURE_CACHE_FILE } from '@courier-ts/maildir';
import { pino } from 'pino';
import { fixturesDir } from '../../../support/paths.js';
import { makeTempDir } from '../../../support/tmp.js';
import { preauthInit, wire } from '../session/engine-helpers.js';

const MIME = join(fixturesDir, 'imapd', 'mime');
const ALL = 'FETCH 1:* (ENVELOPE BODYSTRUCTURE)';

let dir: { path: string; dispose(): Promise<void> };
let names: string[] = [];

/** One session of a server process whose sessions share `main` (and so its structure provider). */
async function session(main: ReturnType<typeof createImapSessionMain>, lines: string[]): Promise<string> {
  const toServer = new PassThrough();
  const fromServer = new PassThrough();
  const chunks: Buffer[] = [];
  fromServer.on('data', (c: Buffer) => chunks.push(c));
  const stream = Duplex.from({ readable: toServer, writable: fromServer });
  const done = main(stream, {
    init: preauthInit(dir.path),
    pending: Buffer.alloc(0),
    log: pino({ level: 'silent' }),
    signal: new AbortController().signal,
  });
  toServer.end(wire('a SELECT INBOX', ...lines, 'z LOGOUT'));
  await done;
  const out = Buffer.concat(chunks).toString('latin1');
  assert.match(out, /\r\nz OK/);
  return out
    .split('\r\n')
    .filter((l) => /^\* \d+ FETCH /.test(l))
    .join('\r\n');
}

/** Every byte but LF becomes `x`: same size and line count, nothing left to parse. */
async function blankMessages(): Promise<void> {
  for (const name of names) {
    const p = join(dir.path, 'cur', name);
    const b = await readFile(p);
    for (let i = 0; i < b.length; i++) if (b[i] !== 0x0a) b[i] = 0x78;
    await writeFile(p, b);
  }
}

/** A fresh folder holding the MIME torture corpus twice over (more than 32 messages). */
async function freshFolder(): Promise<void> {
  await dir?.dispose();
  dir = await makeTempDir('courier-ts-structure-memo-');
  names = [];
  for (const d of ['cur', 'new', 'tmp']) await mkdir(join(dir.path, d), { recursive: true });
  const emls = (await readdir(MIME)).filter((f) => f.endsWith('.eml')).sort();
  let n = 0;
  for (let round = 0; round < 2; round++) {
    for (const f of emls) {
      n++;
      const name = `17000${String(n).padStart(5, '0')}.M${n}P1.t:2,S`;
      names.push(name);
      await copyFile(join(MIME, f), join(dir.path, 'cur', name));
    }
  }
}

before(freshFolder);
after(() => dir.dispose());

describe('structure memo (in memory, across sessions)', () => {
  test('a second session is answered from memory; a changed file is scanned again', async () => {
    const main = createImapSessionMain({ registry: imapRegistry({ structure: createStructureProvider() }) });
    const first = await session(main, [`b ${ALL}`]);
    assert.equal(first.split('\r\n').length, names.length);

    // Neither the cache file nor the messages can answer now: only the memo can.
    await rm(join(dir.path, STRUCTURE_CACHE_FILE), { force: true });
    await blankMessages();
    assert.equal(await session(main, [`b ${ALL}`]), first);

    // Message 3 is expunged and another message delivered (a new name, so a new key, and a new
    // UID: it comes last): the memo answers for neither.
    await rm(join(dir.path, 'cur', names[2]!));
    const changed = 'From: a@b.example\nSubject: changed\n\nnew body\n';
    await writeFile(join(dir.path, 'cur', '1800000000.M999P1.t:2,S'), changed);
    const third = await session(main, [`b ${ALL}`]);
    const lines = third.split('\r\n');
    const was = first.split('\r\n').map((l) => l.replace(/^\* \d+ /, ''));
    assert.equal(lines.length, names.length);
    assert.match(lines.at(-1)!, /^\* \d+ FETCH \(ENVELOPE \(NIL "changed" \(\(NIL NIL "a" "b\.example"\)\)/);
    assert.match(lines.at(-1)!, /BODYSTRUCTURE \("text" "plain" NIL NIL NIL "8bit" 10 1 NIL NIL NIL\)\)$/);
    // The others still come from memory (their files are blank), message 3 is no more.
    assert.deepEqual(
      lines.slice(0, -1).map((l) => l.replace(/^\* \d+ /, '')),
      was.filter((_, i) => i !== 2),
    );
  });

  test('a short FETCH (fewer than 32 messages) is answered from memory too', async () => {
    await freshFolder();
    const main = createImapSessionMain({ registry: imapRegistry({ structure: createStructureProvider() }) });
    const first = (await session(main, [`b ${ALL}`])).split('\r\n');
    const short = async (): Promise<string[]> =>
      (
        await session(main, [
          'b FETCH 2:6 (ENVELOPE)',
          'c FETCH 7:9 (ENVELOPE BODYSTRUCTURE)',
          'd FETCH 10 (BODY)',
        ])
      )
        .split('\r\n')
        .map((l) => l.replace(/^\* \d+ /, ''));
    const fresh = await short();
    await blankMessages();
    // Only the memo knows these messages now.
    assert.deepEqual(await short(), fresh);
    // The ENVELOPE alone of a message fetched whole before is the first FETCH's ENVELOPE.
    assert.equal(fresh[0], first[1]!.replace(/^\* \d+ /, '').replace(/ BODYSTRUCTURE .*\)$/, ')'));
  });

  test('part in memory, the rest from the cache file: no message file is read again', async () => {
    await freshFolder();
    // Room in memory for about half of the messages, and almost no lookahead in the cache file:
    // the records of the messages in memory must be skipped, not held (else lookups would miss).
    const structure = createStructureProvider({ memoBytes: 20_000, lookaheadBytes: 1024 });
    const main = createImapSessionMain({ registry: imapRegistry({ structure }) });
    const first = await session(main, [`b ${ALL}`]);
    const cacheFile = join(dir.path, STRUCTURE_CACHE_FILE);
    const size = (await readFile(cacheFile)).length;
    await blankMessages();
    assert.equal(await session(main, [`b ${ALL}`]), first);
    assert.equal((await readFile(cacheFile)).length, size, 'nothing scanned and appended again');
  });

  test('several scan threads answer as one does (jobs spread over the threads)', async () => {
    await freshFolder();
    const run = async (scanThreads: number): Promise<{ out: string; records: number }> => {
      await rm(join(dir.path, STRUCTURE_CACHE_FILE), { force: true });
      // Fresh for each: no memo; a new thread as soon as the running ones are busy.
      const structure = createStructureProvider({ memoBytes: 0, scanThreads, scanSpreadAt: 1 });
      const main = createImapSessionMain({ registry: imapRegistry({ structure }) });
      const out = await session(main, [`b ${ALL}`, 'c FETCH 1:* (BODY)']);
      const cache = await readFile(join(dir.path, STRUCTURE_CACHE_FILE));
      return { out, records: cache.length };
    };
    const one = await run(1);
    const three = await run(3);
    assert.equal(one.out.split('\r\n').length, names.length * 2);
    assert.equal(three.out, one.out);
    assert.equal(three.records, one.records, 'every message scanned and stored once');
  });
});
