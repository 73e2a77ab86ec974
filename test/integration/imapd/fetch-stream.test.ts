// FETCH BODY.PEEK[] over a real socket, large messages streamed in maildir's reused read buffers: a
// client that pipelines a FETCH per message and reads slowly gets every literal byte for byte (the
// stored LF as CRLF), and so do `BODY[] BODY[]` and partial fetches of the same messages.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { chown, readdir, unlink, writeFile } from 'node:fs/promises';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { lfToCrlf } from '@courier-ts/maildir/internals';
import { type RunningServer, startRunningServer } from '../../support/server.js';
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

/** Reads responses; `slow`: a few KiB per event-loop turn, so the server's replies queue. */
class Reader {
  private buf = Buffer.alloc(0);
  constructor(private readonly sock: Socket) {}

  private async more(slow: boolean): Promise<void> {
    const c = (slow ? (this.sock.read(4096) ?? this.sock.read()) : this.sock.read()) as Buffer | null;
    if (c === null) {
      if (this.sock.destroyed || this.sock.readableEnded) throw new Error('connection closed');
      await once(this.sock, 'readable');
      return;
    }
    this.buf = Buffer.concat([this.buf, c]);
    if (slow) await new Promise((r) => setImmediate(r));
  }

  async line(slow = false): Promise<string> {
    for (;;) {
      const i = this.buf.indexOf('\r\n');
      if (i >= 0) {
        const l = this.buf.subarray(0, i + 2).toString('latin1');
        this.buf = this.buf.subarray(i + 2);
        return l;
      }
      await this.more(slow);
    }
  }

  async bytes(n: number, slow = false): Promise<Buffer> {
    while (this.buf.length < n) await this.more(slow);
    const out = Buffer.from(this.buf.subarray(0, n));
    this.buf = this.buf.subarray(n);
    return out;
  }

  /** The literals of one untagged FETCH line after the other, up to the tagged reply of `tag`. */
  async literalsUntil(tag: string, slow: boolean): Promise<Buffer[]> {
    const lits: Buffer[] = [];
    for (;;) {
      const l = await this.line(slow);
      if (l.startsWith(`${tag} `)) {
        assert.match(l, new RegExp(`^${tag} OK`));
        return lits;
      }
      const m = /\{(\d+)\}\r\n$/.exec(l);
      if (m) {
        lits.push(await this.bytes(Number(m[1]), slow));
        // the rest of the response line (more items, or `)`)
        let rest = await this.line(slow);
        for (let m2 = /\{(\d+)\}\r\n$/.exec(rest); m2; m2 = /\{(\d+)\}\r\n$/.exec(rest)) {
          lits.push(await this.bytes(Number(m2[1]), slow));
          rest = await this.line(slow);
        }
      }
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

  /** A session with INBOX selected, read through a Reader (the socket paused). */
  async function selected(): Promise<{ sock: Socket; r: Reader }> {
    const sock = new Socket();
    sock.connect(server.port, '127.0.0.1');
    await once(sock, 'connect');
    sock.pause();
    const r = new Reader(sock);
    assert.match(await r.line(), /^\* OK/);
    sock.write(`a LOGIN ${server.user.name} ${server.user.password}\r\nb SELECT INBOX\r\n`);
    await r.literalsUntil('a', false);
    await r.literalsUntil('b', false);
    return { sock, r };
  }

  test('pipelined, read slowly; doubled and partial fetches in between: every literal byte for byte', async () => {
    const { sock, r } = await selected();
    sock.write(raws.map((_, i) => `f${i} FETCH ${i + 1} BODY.PEEK[]\r\n`).join(''));
    for (const [i, raw] of raws.entries()) {
      const [lit] = await r.literalsUntil(`f${i}`, true);
      assert.ok(lit?.equals(lfToCrlf(raw)), `FETCH ${i + 1}`);
    }
    sock.write(
      raws
        .map(
          (_, i) =>
            `g${i} FETCH ${i + 1} (BODY.PEEK[] BODY.PEEK[]<3.50>)\r\nh${i} FETCH ${i + 1} (BODY.PEEK[] BODY.PEEK[])\r\n`,
        )
        .join(''),
    );
    for (const [i, raw] of raws.entries()) {
      const want = lfToCrlf(raw);
      const g = await r.literalsUntil(`g${i}`, true);
      assert.equal(g.length, 2);
      assert.ok(g[0]!.equals(want), `FETCH ${i + 1} whole`);
      assert.ok(g[1]!.equals(want.subarray(3, 53)), `FETCH ${i + 1} partial`);
      const h = await r.literalsUntil(`h${i}`, true);
      assert.ok(h.length === 2 && h[0]!.equals(want) && h[1]!.equals(want), `FETCH ${i + 1} twice`);
    }
    sock.write('z LOGOUT\r\n');
    await r.literalsUntil('z', false);
    sock.destroy();
  });

  test('one FETCH for all (read ahead), pipelined twice, read slowly: every literal byte for byte', async () => {
    // A body sent alone comes in a reused buffer (given back once the socket took it): a buffer
    // reused too early would show here as another message's bytes.
    const { sock, r } = await selected();
    sock.write(
      `c FETCH 1:* BODY.PEEK[]\r\nd UID FETCH 1:* (UID FLAGS BODY.PEEK[])\r\ne FETCH 1:* RFC822.SIZE\r\n`,
    );
    const want = raws.map(lfToCrlf);
    for (const tag of ['c', 'd']) {
      const lits = await r.literalsUntil(tag, true);
      assert.equal(lits.length, raws.length, tag);
      for (const [i, lit] of lits.entries()) assert.ok(lit.equals(want[i]!), `${tag}: message ${i + 1}`);
    }
    await r.literalsUntil('e', false);
    sock.write('z LOGOUT\r\n');
    await r.literalsUntil('z', false);
    sock.destroy();
  });
});
