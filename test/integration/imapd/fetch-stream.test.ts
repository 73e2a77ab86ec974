// FETCH BODY.PEEK[] over a real socket, large messages streamed in maildir's reused read buffers: a
// client that pipelines a FETCH per message and reads slowly gets every literal byte for byte (the
// stored LF as CRLF), and so do `BODY[] BODY[]` and partial fetches of the same messages.
import assert from 'node:assert/strict';
import { chown, readdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { lfToCrlf } from '@courier-ts/maildir/internals';
import { type RunningServer, startRunningServer } from '../../support/server.js';
import { SlowSocket } from '../../support/slow-socket.js';
import { isRoot } from '../../support/users.js';

function messages(): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < 30; i++) {
    const k = i % 5;
    if (k === 4 && i < 15) {
      const b = Buffer.alloc(1536 * 1024 + i, 0x71);
      for (let p = 77; p < b.length; p += 78) b[p] = 0x0a;
      out.push(b);
      continue;
    }
    const text =
      k === 0
        ? `Subject: s${i}\n\nbody ${i}\n`
        : k === 1
          ? `Subject: m${i}\n\n${`line ${i} of the message\n`.repeat(3000 + i)}`
          : k === 2
            ? `Subject: crlf ${i}\r\n\r\nbare\rcr ${i}\r\n`
            : `Subject: n${i}\n\nno final newline ${i}`;
    out.push(Buffer.from(text, 'latin1'));
  }
  return out;
}

/** The literals of the untagged FETCH responses up to the tagged reply of `tag` (which must be OK). */
async function literalsUntil(r: SlowSocket, tag: string, slow: boolean): Promise<Buffer[]> {
  const lits: Buffer[] = [];
  for (;;) {
    const l = await r.line(slow);
    if (l.startsWith(`${tag} `)) {
      assert.match(l, new RegExp(`^${tag} OK`));
      return lits;
    }
    // a literal at the end of a line, then the rest of the response (more items, or `)`)
    for (let m = /\{(\d+)\}\r\n$/.exec(l); m; ) {
      lits.push(await r.read(Number(m[1]), slow));
      m = /\{(\d+)\}\r\n$/.exec(await r.line(slow));
    }
  }
}

describe('FETCH BODY.PEEK[] over a socket with reused read buffers', () => {
  let server: RunningServer;
  const raws = messages();
  before(async () => {
    server = await startRunningServer({ kind: 'imapd', maildir: { fixture: 'basic' } });
    for (const sub of ['cur', 'new']) {
      const d = join(server.maildir!, sub);
      for (const n of await readdir(d)) await unlink(join(d, n));
    }
    for (const [i, raw] of raws.entries()) {
      const path = join(server.maildir!, 'cur', `${1_700_000_100 + i}.M${i}P1.test:2,S`);
      await writeFile(path, raw);
      if (isRoot()) await chown(path, server.user.system.uid, server.user.system.gid);
    }
  });
  after(async () => {
    await server?.stop();
  });

  /** A session with INBOX selected, read only when asked. */
  async function selected(): Promise<SlowSocket> {
    const r = await SlowSocket.connect(server.port);
    assert.match(await r.line(), /^\* OK/);
    r.send(`a LOGIN ${server.user.name} ${server.user.password}\r\nb SELECT INBOX\r\n`);
    await literalsUntil(r, 'a', false);
    await literalsUntil(r, 'b', false);
    return r;
  }

  test('pipelined, read slowly; doubled and partial fetches in between: every literal byte for byte', async () => {
    const r = await selected();
    r.send(raws.map((_, i) => `f${i} FETCH ${i + 1} BODY.PEEK[]\r\n`).join(''));
    for (const [i, raw] of raws.entries()) {
      const [lit] = await literalsUntil(r, `f${i}`, true);
      assert.ok(lit?.equals(lfToCrlf(raw)), `FETCH ${i + 1}`);
    }
    r.send(
      raws
        .map(
          (_, i) =>
            `g${i} FETCH ${i + 1} (BODY.PEEK[] BODY.PEEK[]<3.50>)\r\nh${i} FETCH ${i + 1} (BODY.PEEK[] BODY.PEEK[])\r\n`,
        )
        .join(''),
    );
    for (const [i, raw] of raws.entries()) {
      const want = lfToCrlf(raw);
      const g = await literalsUntil(r, `g${i}`, true);
      assert.equal(g.length, 2);
      assert.ok(g[0]!.equals(want), `FETCH ${i + 1} whole`);
      assert.ok(g[1]!.equals(want.subarray(3, 53)), `FETCH ${i + 1} partial`);
      const h = await literalsUntil(r, `h${i}`, true);
      assert.ok(h.length === 2 && h[0]!.equals(want) && h[1]!.equals(want), `FETCH ${i + 1} twice`);
    }
    r.send('z LOGOUT\r\n');
    await literalsUntil(r, 'z', false);
    r.destroy();
  });

  test('one FETCH for all (read ahead), pipelined twice, read slowly: every literal byte for byte', async () => {
    // A body sent alone comes in a reused buffer (given back once the socket took it): a buffer
    // reused too early would show here as another message's bytes.
    const r = await selected();
    r.send(
      `c FETCH 1:* BODY.PEEK[]\r\nd UID FETCH 1:* (UID FLAGS BODY.PEEK[])\r\ne FETCH 1:* RFC822.SIZE\r\n`,
    );
    const want = raws.map(lfToCrlf);
    for (const tag of ['c', 'd']) {
      const lits = await literalsUntil(r, tag, true);
      assert.equal(lits.length, raws.length, tag);
      for (const [i, lit] of lits.entries()) assert.ok(lit.equals(want[i]!), `${tag}: message ${i + 1}`);
    }
    await literalsUntil(r, 'e', false);
    r.send('z LOGOUT\r\n');
    await literalsUntil(r, 'z', false);
    r.destroy();
  });
});
