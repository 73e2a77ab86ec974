// ReplyWriter and reused buffers (maildir's pool): a Buffer carrying a WRITTEN hook has it called
// once the socket is done with its bytes (sent to the kernel, or dropped with the socket), never
// while a paused peer leaves them queued, and never for a stream that may still hold a chunk after
// calling back (Duplex.from over another stream).
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server, Socket } from 'node:net';
import { Duplex, PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { ReplyWriter } from '@courier-ts/runtime';

const WRITTEN = Symbol.for('courier-ts.written');

function hooked(bytes: Buffer): { buf: Buffer; calls: () => number } {
  let n = 0;
  const buf = Buffer.from(bytes) as Buffer & { [WRITTEN]?: () => void };
  buf[WRITTEN] = () => {
    n++;
  };
  return { buf, calls: () => n };
}

/** A connected pair on loopback: the server side (written to) and the client side (read). */
async function pair(server: Server): Promise<{ ours: Socket; peer: Socket }> {
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('no address');
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  const peer = new Socket();
  peer.connect(addr.port, '127.0.0.1');
  await once(peer, 'connect');
  const [ours] = await accepted;
  return { ours, peer };
}

/** Reads `n` bytes from the peer (resuming it). */
async function readAll(peer: Socket, n: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let got = 0;
  peer.resume();
  for await (const c of peer as AsyncIterable<Buffer>) {
    parts.push(c);
    got += c.length;
    if (got >= n) break;
  }
  return Buffer.concat(parts);
}

const turns = async (k: number): Promise<void> => {
  for (let i = 0; i < k; i++) await new Promise((r) => setImmediate(r));
};

describe('ReplyWriter WRITTEN hooks', () => {
  let server: Server;
  before(async () => {
    server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  });
  after(() => server.close());

  test('called once per hooked buffer after the socket took it; bytes arrive intact', async () => {
    const { ours, peer } = await pair(server);
    const w = new ReplyWriter(ours);
    const a = hooked(Buffer.from('first\r\n'));
    const b = hooked(Buffer.from('second\r\n'));
    await w.writeMany([Buffer.from('+OK\r\n'), a.buf, b.buf]);
    await w.write(Buffer.from('.\r\n'));
    const got = await readAll(peer, 22);
    assert.equal(got.toString('latin1'), '+OK\r\nfirst\r\nsecond\r\n.\r\n');
    await turns(3);
    assert.deepEqual([a.calls(), b.calls()], [1, 1]);
    peer.destroy();
    ours.destroy();
  });

  test('a paused peer: not called while the bytes are still queued; called once it read them', async () => {
    const { ours, peer } = await pair(server);
    peer.pause();
    const w = new ReplyWriter(ours);
    // More than loopback socket buffers hold: part of it stays queued in the process.
    const big = hooked(Buffer.alloc(48 << 20, 0x61));
    const written = w.writeMany([Buffer.from('+OK\r\n'), big.buf]);
    await turns(20);
    assert.ok(ours.writableLength > 0, 'part of the reply is still queued');
    assert.equal(big.calls(), 0, 'not given back while queued');
    const got = await readAll(peer, big.buf.length + 5);
    await written;
    await turns(3);
    assert.equal(got.length, big.buf.length + 5);
    assert.equal(big.calls(), 1);
    peer.destroy();
    ours.destroy();
  });

  test('held replies: called after release() sent them', async () => {
    const { ours, peer } = await pair(server);
    const w = new ReplyWriter(ours);
    w.hold();
    const a = hooked(Buffer.from('held\r\n'));
    await w.write(a.buf);
    await turns(3);
    assert.equal(a.calls(), 0);
    await w.release();
    assert.equal((await readAll(peer, 6)).toString('latin1'), 'held\r\n');
    await turns(3);
    assert.equal(a.calls(), 1);
    peer.destroy();
    ours.destroy();
  });

  test('a socket destroyed with bytes queued: called (the bytes were dropped)', async () => {
    const { ours, peer } = await pair(server);
    peer.pause();
    const w = new ReplyWriter(ours);
    const big = hooked(Buffer.alloc(48 << 20, 0x62));
    void w.writeMany([Buffer.from('+OK\r\n'), big.buf]);
    await turns(5);
    assert.equal(big.calls(), 0);
    ours.destroy();
    await once(ours, 'close');
    await turns(3);
    assert.equal(big.calls(), 1);
    assert.equal(w.writable, false);
    peer.destroy();
  });

  test('not a net.Socket (Duplex.from, PassThrough): never called, bytes written as usual', async () => {
    const inner = new PassThrough();
    const parts: Buffer[] = [];
    inner.on('data', (c: Buffer) => parts.push(c));
    const stream = Duplex.from({ readable: new PassThrough(), writable: inner });
    const w = new ReplyWriter(stream);
    const a = hooked(Buffer.from('x\r\n'));
    await w.writeMany([Buffer.from('+OK\r\n'), a.buf]);
    await turns(5);
    assert.equal(Buffer.concat(parts).toString('latin1'), '+OK\r\nx\r\n');
    assert.equal(a.calls(), 0);
  });
});
