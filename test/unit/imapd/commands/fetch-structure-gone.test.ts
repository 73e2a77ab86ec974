// FETCH 1:* (ENVELOPE BODYSTRUCTURE) over enough messages for the persistent cache and its worker
// thread, while another session expunges one message (file gone) and renames another (flag
// change): the gone one is served as Courier's stand-in, the renamed one as itself, the rest as
// before; neither the stand-in nor anything wrong goes into the cache.
import assert from 'node:assert/strict';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { STRUCTURE_CACHE_FILE } from '@courier-ts/maildir';
import { makeTempDir } from '../../../support/tmp.js';
import { openCommandSession } from '../session/engine-helpers.js';

const COUNT = 40;
const name = (i: number, flags = 'S'): string => `17000000${String(i).padStart(2, '0')}.M${i}P1.h:2,${flags}`;
const message = (i: number): string =>
  `From: u${i}@example.com\nSubject: message ${i}\nMIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n\nbody ${i}\n`;

let dir: { path: string; dispose(): Promise<void> };
before(async () => {
  dir = await makeTempDir('courier-ts-structure-gone-');
  for (const d of ['cur', 'new', 'tmp']) await mkdir(join(dir.path, d), { recursive: true });
  for (let i = 1; i <= COUNT; i++) await writeFile(join(dir.path, 'cur', name(i)), message(i));
});
after(() => dir.dispose());

function envelopeOf(response: string, seq: number): string {
  const line = response.split('\r\n').find((l) => l.startsWith(`* ${seq} FETCH (`));
  assert.ok(line, `no response for ${seq}`);
  return line;
}

test('a message gone or renamed during a FETCH over many messages', async () => {
  const s = openCommandSession(dir.path);
  try {
    assert.match(await s.command('SELECT INBOX'), new RegExp(`\\* ${COUNT} EXISTS`));
    await rm(join(dir.path, 'cur', name(7)));
    await rename(join(dir.path, 'cur', name(9)), join(dir.path, 'cur', name(9, 'FS')));
    const r = await s.command('FETCH 1:* (ENVELOPE BODYSTRUCTURE)');
    assert.match(r, /t\d+ OK FETCH completed\.\r\n$/);
    assert.match(
      envelopeOf(r, 7),
      /ENVELOPE \(NIL "message unavailable" \(\("System Administrator" NIL "root" "localhost"\)\)/,
    );
    assert.match(envelopeOf(r, 9), /ENVELOPE \(NIL "message 9" \(\(NIL NIL "u9" "example.com"\)\)/);
    for (const seq of [1, 8, 10, COUNT]) {
      assert.match(
        envelopeOf(r, seq),
        new RegExp(
          `ENVELOPE \\(NIL "message ${seq}" .* BODYSTRUCTURE \\("text" "plain" \\("charset" "us-ascii"\\) NIL NIL "8bit" \\d+ 1 NIL NIL NIL\\)\\)$`,
        ),
      );
    }
    const cache = await readFile(join(dir.path, STRUCTURE_CACHE_FILE), 'latin1');
    assert.ok(cache.includes('message 1"'), 'entries stored');
    assert.ok(!cache.includes('message unavailable'), 'no stand-in stored');
    // Again, from the cache: the same replies.
    assert.equal(
      await s.command('FETCH 1:* (ENVELOPE BODYSTRUCTURE)').then((x) => x.replace(/t\d+ OK/, '')),
      r.replace(/t\d+ OK/, ''),
    );
  } finally {
    await s.close();
  }
});

test('two sessions filling the cache at once: same replies, and a readable cache after', async () => {
  await rm(join(dir.path, STRUCTURE_CACHE_FILE), { force: true });
  const a = openCommandSession(dir.path);
  const b = openCommandSession(dir.path);
  try {
    await a.command('SELECT INBOX');
    await b.command('SELECT INBOX');
    const strip = (x: string): string => x.replace(/t\d+ OK[^\r]*\r\n$/, '');
    const [ra, rb] = await Promise.all([
      a.command('FETCH 1:* (ENVELOPE BODYSTRUCTURE)'),
      b.command('FETCH 1:* (ENVELOPE BODYSTRUCTURE)'),
    ]);
    assert.equal(strip(ra), strip(rb));
    // Both appended (duplicates allowed); a third FETCH answers the same from the file.
    assert.equal(strip(await a.command('FETCH 1:* (ENVELOPE BODYSTRUCTURE)')), strip(ra));
    assert.ok((await readFile(join(dir.path, STRUCTURE_CACHE_FILE))).length > 0);
  } finally {
    await a.close();
    await b.close();
  }
});
