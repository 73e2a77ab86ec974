// RETR through a real socket with maildir's reused read buffers: a client that pipelines every RETR
// and reads slowly gets exactly the bytes pop3d's DotStuffer makes of each file (small, mid-size,
// several MiB, dots at chunk boundaries, no final newline), again one by one afterwards (buffers
// given back and reused); a client that hangs up in the middle of a large message leaves the
// server serving the next session, without an error in its log.
import assert from 'node:assert/strict';
import { chown, readdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { lfToCrlf } from '@courier-ts/maildir/internals';
import { repoRoot } from '../../support/paths.js';
import type { RunningServer } from '../../support/server.js';
import { SlowSocket } from '../../support/slow-socket.js';
import { isRoot } from '../../support/users.js';
import { startPop3d } from './helpers.js';

type Stuffer = typeof import('../../../packages/pop3d/src/protocol/dot-stuffer.js');
const { DotStuffer } = (await import(
  pathToFileURL(join(repoRoot, 'packages', 'pop3d', 'dist', 'protocol', 'dot-stuffer.js')).href
)) as Stuffer;

function messages(): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < 24; i++) {
    const k = i % 6;
    let body: string;
    if (k === 0) body = `Subject: small ${i}\n\n.dot\n..two\nend ${i}\n`;
    else if (k === 1) body = `Subject: mid ${i}\n\n${`.line ${i} of text\n`.repeat(12_000)}`;
    else if (k === 2) body = `Subject: nofinal ${i}\n\nlast line without newline ${i}`;
    else if (k === 3) body = `Subject: crlf ${i}\r\n\r\n.x\r\nbare\rcr\r\n`;
    else if (k === 4 && i < 12) {
      // Several MiB: a `.` right at a 1 MiB chunk boundary.
      const b = Buffer.alloc(2.5 * 1024 * 1024 + i, 0x78);
      for (let p = 99; p < b.length; p += 100) b[p] = 0x0a;
      b[1024 * 1024 - 1] = 0x0a;
      b[1024 * 1024] = 0x2e;
      out.push(b);
      continue;
    } else body = `Subject: plain ${i}\n\n${'word '.repeat(200 * i)}\n`;
    out.push(Buffer.from(body, 'latin1'));
  }
  return out;
}

function expectedReply(raw: Buffer): Buffer {
  const crlf = lfToCrlf(raw);
  const s = new DotStuffer();
  const body = Buffer.concat([s.push(crlf), s.finish()]);
  return Buffer.concat([Buffer.from(`+OK ${crlf.length} octets follow.\r\n`, 'latin1'), body]);
}

describe('RETR over a socket with reused read buffers', () => {
  let server: RunningServer;
  const raws = messages();
  before(async () => {
    server = await startPop3d({ pop3d: ['MAXPERIP=40'] });
    const cur = join(server.maildir!, 'cur');
    for (const sub of ['cur', 'new']) {
      const d = join(server.maildir!, sub);
      for (const n of await readdir(d)) await unlink(join(d, n));
    }
    for (const [i, raw] of raws.entries()) {
      const path = join(cur, `${1_700_000_100 + i}.M${i}P1.test:2,`);
      await writeFile(path, raw);
      if (isRoot()) await chown(path, server.user.system.uid, server.user.system.gid);
    }
  });
  after(async () => {
    await server?.stop();
  });

  async function login(): Promise<SlowSocket> {
    const c = await SlowSocket.connect(server.port);
    assert.match(await c.line(), /^\+OK /);
    c.send('USER testuser\r\nPASS testpass\r\n');
    assert.match(await c.line(), /^\+OK /);
    assert.match(await c.line(), /^\+OK /);
    return c;
  }

  test('pipelined and read slowly, then one by one: every reply byte for byte', async () => {
    const c = await login();
    c.send(raws.map((_, i) => `RETR ${i + 1}\r\n`).join(''));
    for (const [i, raw] of raws.entries()) {
      const want = expectedReply(raw);
      const got = await c.read(want.length, true);
      assert.ok(got.equals(want), `pipelined RETR ${i + 1}`);
    }
    for (const [i, raw] of raws.entries()) {
      c.send(`RETR ${i + 1}\r\n`);
      const want = expectedReply(raw);
      assert.ok((await c.read(want.length, false)).equals(want), `RETR ${i + 1} again`);
    }
    c.send('QUIT\r\n');
    assert.match(await c.line(), /^\+OK /);
    c.destroy();
  });

  test('a client gone in the middle of a large message: the next session is served', async () => {
    const big = raws.findIndex((r) => r.length > 2 * 1024 * 1024);
    const c = await login();
    c.send(`RETR ${big + 1}\r\nRETR ${big + 2}\r\n`);
    await c.read(64 * 1024, true);
    c.destroy();
    const d = await login();
    for (const i of [big, big + 1, 0]) {
      d.send(`RETR ${i + 1}\r\n`);
      const want = expectedReply(raws[i]!);
      assert.ok((await d.read(want.length, false)).equals(want), `RETR ${i + 1}`);
    }
    d.send('QUIT\r\n');
    assert.match(await d.line(), /^\+OK /);
    d.destroy();
  });
});
