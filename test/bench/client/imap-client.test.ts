// The bench's IMAP client against a scripted server on a real loopback socket: responses go to the
// command they belong to, one at a time and pipelined, literals are counted, IDLE ends at its `+`.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { ImapConnection } from './imap-client.js';
import { warmImapClient } from './imap-warm-up.js';

/** Reply to each tagged line; `TAG` in the script is replaced by the command's tag. */
const SCRIPT: Record<string, string> = {
  'LOGIN "u" "p \\"q\\""': 'TAG OK LOGIN done\r\n',
  'SELECT "INBOX"':
    '* FLAGS (\\Seen)\r\n* 3 EXISTS\r\n* OK [UIDVALIDITY 7] x\r\nTAG OK [READ-WRITE] done\r\n',
  'FETCH 1 BODY.PEEK[]': '* 1 FETCH (BODY[] {5}\r\nab\r\nc)\r\nTAG OK done\r\n',
  'FETCH 2 BODY.PEEK[]': '* 2 FETCH (BODY[] {0}\r\n)\r\nTAG OK done\r\n',
  'FETCH 9 BODY.PEEK[]': 'TAG NO no such message\r\n',
  IDLE: '+ idling\r\n',
  LOGOUT: '* BYE bye\r\nTAG OK done\r\n',
};

function startServer(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer((sock) => {
      sock.write('* OK ready\r\n');
      let pending = '';
      sock.on('data', (d: Buffer) => {
        pending += d.toString('latin1');
        for (let i = pending.indexOf('\r\n'); i >= 0; i = pending.indexOf('\r\n')) {
          const line = pending.slice(0, i);
          pending = pending.slice(i + 2);
          const sp = line.indexOf(' ');
          const [tag, cmd] = [line.slice(0, sp), line.slice(sp + 1)];
          sock.write((SCRIPT[cmd] ?? 'TAG BAD unknown\r\n').replaceAll('TAG', tag));
          if (cmd === 'LOGOUT') sock.end();
        }
      });
    });
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      resolve({ server, port: typeof a === 'object' && a ? a.port : 0 });
    });
  });
}

describe('ImapConnection', () => {
  let server: Server;
  let port = 0;
  before(async () => {
    ({ server, port } = await startServer());
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  test('one command at a time: status, untagged responses, literal bytes', async () => {
    const c = await ImapConnection.open(port);
    await c.login('u', 'p "q"');
    assert.equal(await c.select('INBOX'), 3);
    const r = await c.command('FETCH 1 BODY.PEEK[]');
    assert.deepEqual(
      [r.status, r.untaggedCount, r.literalBytes, r.bytes],
      ['OK', 1, 5, '* 1 FETCH (BODY[] {5}\r\nab\r\nc)\r\n'.length + 'b3 OK done\r\n'.length],
    );
    assert.equal((await c.command('FETCH 9 BODY.PEEK[]')).status, 'NO');
    await assert.rejects(Promise.all([c.command('NOOP'), c.command('NOOP')]), /one command at a time/);
    c.destroy();
  });

  test('pipelined commands get their own replies, in order', async () => {
    const c = await ImapConnection.open(port);
    const rs = await c.pipeline(['FETCH 2 BODY.PEEK[]', 'FETCH 9 BODY.PEEK[]', 'FETCH 1 BODY.PEEK[]']);
    assert.deepEqual(
      rs.map((r) => [r.status, r.untaggedCount, r.literalBytes]),
      [
        ['OK', 1, 0],
        ['NO', 0, 0],
        ['OK', 1, 5],
      ],
    );
    const idle = await c.command('IDLE', { stopAtContinuation: true });
    assert.equal(idle.tagged, '+ idling');
    assert.equal(c.busy, false);
    c.destroy();
  });

  test('LOGOUT: BYE then the tagged reply, then the server closes', async () => {
    const c = await ImapConnection.open(port);
    await c.logout();
    await assert.rejects(c.command('NOOP'), /closed/);
  });
});

test("warmImapClient runs the measures' commands through the real client against its own responder", async () => {
  // Rejects if the responder and the client disagreed on a response (counts of untagged responses,
  // literals, the SELECT's EXISTS).
  await warmImapClient(1);
});
