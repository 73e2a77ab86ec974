// The bench's POP3 client against a scripted server on a real loopback socket: multi-line replies end at
// CRLF.CRLF wherever the chunks split them, dot-stuffed lines do not end them, and byte counts are exact.

import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Pop3Connection } from './pop3-client.js';
import { warmPop3Client } from './pop3-warm-up.js';

const REPLIES: Record<string, string> = {
  LIST: '+OK 2 messages\r\n1 10\r\n2 20\r\n.\r\n',
  'RETR 1': '+OK 20 octets\r\nSubject: a\r\n\r\n..\r\n...x\r\n.\r\n',
  'RETR 2': '+OK 0 octets\r\n.\r\n',
  'RETR 9': '-ERR No such message\r\n',
  STAT: '+OK 2 30\r\n',
  QUIT: '+OK bye\r\n',
};

/** Writes `text` in pieces of `chunk` bytes, each in its own write with a pause between. */
async function dribble(sock: Socket, text: string, chunk: number): Promise<void> {
  const buf = Buffer.from(text, 'latin1');
  for (let i = 0; i < buf.length; i += chunk) {
    sock.write(buf.subarray(i, i + chunk));
    await new Promise((r) => setTimeout(r, 1));
  }
}

function startServer(chunk: number): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer((sock) => {
      sock.setNoDelay(true);
      let pending = '';
      let queue = dribble(sock, '+OK ready\r\n', chunk);
      sock.on('data', (d: Buffer) => {
        pending += d.toString('latin1');
        for (let i = pending.indexOf('\r\n'); i >= 0; i = pending.indexOf('\r\n')) {
          const cmd = pending.slice(0, i);
          pending = pending.slice(i + 2);
          queue = queue.then(() => dribble(sock, REPLIES[cmd] ?? '-ERR ?\r\n', chunk));
          if (cmd === 'QUIT') void queue.then(() => sock.end());
        }
      });
    });
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      resolve({ server, port: typeof a === 'object' && a ? a.port : 0 });
    });
  });
}

for (const chunk of [1, 3, 1000]) {
  describe(`Pop3Connection, server writes ${chunk}-byte pieces`, () => {
    let server: Server;
    let port = 0;
    before(async () => {
      ({ server, port } = await startServer(chunk));
    });
    after(() => new Promise<void>((r) => server.close(() => r())));

    test('replies are split exactly, dot-stuffed lines stay inside, errors are single-line', async () => {
      const { conn, greeting } = await Pop3Connection.open(port);
      assert.equal(greeting, '+OK ready');
      const list = await conn.command('LIST', true, true);
      assert.deepEqual(list, {
        ok: true,
        status: '+OK 2 messages',
        bytes: REPLIES.LIST!.length,
        body: '1 10\r\n2 20\r\n.\r\n',
      });
      const r1 = await conn.command('RETR 1', true, true);
      assert.equal(r1.body, 'Subject: a\r\n\r\n..\r\n...x\r\n.\r\n');
      assert.equal(r1.bytes, REPLIES['RETR 1']!.length);
      const r2 = await conn.command('RETR 2', true, true);
      assert.deepEqual(r2, { ok: true, status: '+OK 0 octets', bytes: 17, body: '.\r\n' });
      const r9 = await conn.command('RETR 9', true);
      assert.deepEqual(r9, { ok: false, status: '-ERR No such message', bytes: 22, body: undefined });
      const piped = await conn.pipeline(['RETR 2', 'RETR 9', 'RETR 1'], true);
      assert.deepEqual(
        piped.map((r) => [r.status, r.bytes]),
        [
          ['+OK 0 octets', 17],
          ['-ERR No such message', 22],
          ['+OK 20 octets', REPLIES['RETR 1']!.length],
        ],
      );
      const stat = await conn.command('STAT');
      assert.equal(stat.status, '+OK 2 30');
      await conn.quit();
    });
  });
}

test('warmPop3Client runs its commands through the real client against its own responder', async () => {
  // Would fail (reject) if the responder and the client disagreed on a single- or multi-line reply.
  await warmPop3Client(50);
});
