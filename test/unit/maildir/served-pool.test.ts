// The native helper's buffer pool: served bytes come in reused buffers only when the caller opts
// in (the POP3 form by default); a buffer is reused only after its WRITTEN hook gave it back, never
// while the caller still holds it; a second give-back is ignored; buffers dropped without one are
// collected and the pool goes on; streamed chunks (the POP3 form of a message of several MiB) are
// pooled too and give the same bytes as pop3d's DotStuffer, whatever order they are given back in.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MAILDIR_NATIVE, readServedFile } from '@courier-ts/maildir';
import { lfToCrlf } from '@courier-ts/maildir/internals';
import { repoRoot } from '../../support/paths.js';
import { tempDir } from './helpers.js';

type Reader = typeof import('../../../packages/maildir/src/message/message-reader.js');
type Stuffer = typeof import('../../../packages/pop3d/src/protocol/dot-stuffer.js');
const dist = (pkg: string, rel: string): string =>
  pathToFileURL(join(repoRoot, 'packages', pkg, 'dist', rel)).href;
const { openCrlfStream } = (await import(dist('maildir', 'message/message-reader.js'))) as Reader;
const { DotStuffer } = (await import(dist('pop3d', 'protocol/dot-stuffer.js'))) as Stuffer;

const WRITTEN = Symbol.for('courier-ts.written');
type Hooked = Buffer & { [WRITTEN]?: () => void };
const giveBack = (b: Buffer): void => (b as Hooked)[WRITTEN]?.();
/** The bytes alone (a pooled view carries its hook as a property, which deepEqual would compare). */
const bytes = (b: Buffer | undefined): Buffer => Buffer.from(b ?? Buffer.alloc(0));
const noNative = { skip: MAILDIR_NATIVE === undefined ? 'native helper not built' : false };

function stuffed(raw: Buffer): Buffer {
  const s = new DotStuffer();
  return Buffer.concat([s.push(lfToCrlf(raw)), s.finish()]);
}

describe('served bytes in reused buffers', noNative, () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const small = (i: number): Buffer =>
    Buffer.from(`Subject: m${i}\n\n.dot ${i}\nbody ${'z'.repeat(i * 37)}\n`);
  // Several stream chunks (1 MiB each), dots at line starts everywhere.
  const big = Buffer.from(`Subject: big\n\n${'.line of text\n'.repeat(400_000)}tail`, 'latin1');
  const path = (name: string): string => join(dir, name);

  before(async () => {
    ({ dir, cleanup } = await tempDir('served-pool-'));
    for (let i = 0; i < 40; i++) await writeFile(path(`s${i}`), small(i));
    await writeFile(path('big'), big);
  });
  after(() => cleanup());

  test('opt-in only: the POP3 form is pooled by default, the plain form is not', async () => {
    const pop3 = await readServedFile(path('s1'), 1 << 20, { dotStuff: true });
    const plain = await readServedFile(path('s1'), 1 << 20);
    assert.equal(typeof (pop3.served as Hooked)[WRITTEN], 'function');
    assert.equal((plain.served as Hooked)[WRITTEN], undefined);
    assert.deepEqual(plain.served, lfToCrlf(small(1)));
    assert.deepEqual(bytes(pop3.served), stuffed(small(1)).subarray(0, -3), 'without the . line');
    const notPooled = await readServedFile(path('s1'), 1 << 20, { dotStuff: true, pooled: false });
    assert.equal((notPooled.served as Hooked)[WRITTEN], undefined);
    giveBack(pop3.served!);
  });

  test('reused only once given back; held results keep their bytes', async () => {
    const held: Buffer[] = [];
    const seen = new Set<ArrayBufferLike>();
    for (let i = 0; i < 20; i++) {
      const r = await readServedFile(path(`s${i}`), 1 << 20, { dotStuff: true });
      assert.ok(!seen.has(r.served!.buffer), `read ${i}: a buffer still held was handed out again`);
      seen.add(r.served!.buffer);
      held.push(r.served!);
    }
    for (const [i, b] of held.entries())
      assert.deepEqual(bytes(b), stuffed(small(i)).subarray(0, -3), `read ${i}`);
    // One given back (twice: the second is ignored): the next two reads cannot both get it.
    giveBack(held[3]!);
    giveBack(held[3]!);
    const x = await readServedFile(path('s30'), 1 << 20, { dotStuff: true });
    const y = await readServedFile(path('s31'), 1 << 20, { dotStuff: true });
    assert.notEqual(x.served!.buffer, y.served!.buffer);
    assert.deepEqual(bytes(x.served), stuffed(small(30)).subarray(0, -3));
    assert.deepEqual(bytes(y.served), stuffed(small(31)).subarray(0, -3));
    for (const b of [...held, x.served!, y.served!]) giveBack(b);
    // Given back: reused from now on (one buffer serves read after read).
    const first = await readServedFile(path('s5'), 1 << 20, { dotStuff: true });
    giveBack(first.served!);
    const again = await readServedFile(path('s6'), 1 << 20, { dotStuff: true });
    assert.equal(again.served!.buffer, first.served!.buffer);
    assert.deepEqual(bytes(again.served), stuffed(small(6)).subarray(0, -3));
    giveBack(again.served!);
  });

  test('buffers dropped without being given back are collected; the pool goes on', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    for (let i = 0; i < 30; i++) await readServedFile(path(`s${i}`), 1 << 20, { dotStuff: true });
    gc();
    await new Promise((r) => setImmediate(r));
    gc();
    const r = await readServedFile(path('s7'), 1 << 20, { dotStuff: true });
    assert.equal(typeof (r.served as Hooked)[WRITTEN], 'function', 'still pooled');
    assert.deepEqual(bytes(r.served), stuffed(small(7)).subarray(0, -3));
    giveBack(r.served!);
  });

  for (const order of ['in order', 'all at the end'] as const) {
    test(`a message of several MiB streamed in the POP3 form, given back ${order} = DotStuffer`, async () => {
      const stream = openCrlfStream(
        dir,
        { filename: 'big', key: 'big', uid: 1 },
        async () => undefined,
        {},
        undefined,
        {
          sizeHint: big.length,
          dotStuff: true,
        },
      );
      const copies: Buffer[] = [];
      const kept: Buffer[] = [];
      for await (const c of stream as AsyncIterable<Buffer>) {
        copies.push(Buffer.from(c));
        if (order === 'in order') giveBack(c);
        else kept.push(c);
      }
      assert.ok(copies.length > 2, 'streamed in chunks');
      const want = stuffed(big);
      assert.deepEqual(Buffer.concat(copies), want);
      if (order === 'all at the end') {
        // Nothing given back yet: every chunk still holds its own bytes.
        assert.deepEqual(Buffer.concat(kept.map(bytes)), want);
        for (const c of kept) giveBack(c);
      }
    });
  }
});
