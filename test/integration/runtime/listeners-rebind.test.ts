// startListeners().rebind on real sockets: the cases where a new socket needs the port an old one
// holds (ADDRESS 0 -> one address, PORT and SSLPORT swapped), and the live `bound` list.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConnectionLimiter, type ListenBinding, rebindOf, startListeners } from '@courier-ts/runtime';
import { pino } from 'pino';
import { freePort, portOpen } from '../../support/net.js';

async function listeners(bindings: readonly ListenBinding[]) {
  const seen: ListenBinding[] = [];
  const l = await startListeners({
    bindings,
    limiter: new ConnectionLimiter(0, 0),
    log: pino({ level: 'silent' }),
    onConnection: (c) => {
      seen.push(c.binding);
      c.socket.destroy();
      c.release();
    },
  });
  return { l, seen };
}

const summary = (b: readonly { port: number; binding: ListenBinding }[]) =>
  b.map((x) => `${x.binding.host ?? '*'}:${x.port}:${x.binding.tls ? 'tls' : 'plain'}`).sort();

describe('Listeners.rebind', () => {
  test('all addresses -> 127.0.0.1 on the same port: the old socket gives way', async () => {
    const port = await freePort();
    const { l } = await listeners([{ host: undefined, port, tls: false }]);
    try {
      const r = await l.rebind([{ host: '127.0.0.1', port, tls: false }]);
      assert.equal(r.kind, 'ok', JSON.stringify(r));
      assert.deepEqual(summary(l.bound), [`127.0.0.1:${port}:plain`]);
      assert.equal(await portOpen(port), true);
    } finally {
      await l.close();
    }
  });

  test('PORT and SSLPORT swapped: each port ends up with the other mode', async () => {
    const [a, b] = [await freePort(), await freePort()];
    const { l, seen } = await listeners([
      { host: '127.0.0.1', port: a, tls: false },
      { host: '127.0.0.1', port: b, tls: true },
    ]);
    try {
      const r = await l.rebind([
        { host: '127.0.0.1', port: b, tls: false },
        { host: '127.0.0.1', port: a, tls: true },
      ]);
      assert.equal(r.kind, 'ok', JSON.stringify(r));
      assert.deepEqual(summary(l.bound), [`127.0.0.1:${a}:tls`, `127.0.0.1:${b}:plain`].sort());
      assert.equal(await portOpen(a), true);
      await new Promise((r2) => setTimeout(r2, 50));
      assert.equal(seen.at(-1)?.tls, true, 'a connection to the old plain port is now a TLS one');
    } finally {
      await l.close();
    }
  });

  test('unchanged bindings keep their sockets; the daemon finds rebind through `bound`', async () => {
    const port = await freePort();
    const { l } = await listeners([{ host: '127.0.0.1', port, tls: false }]);
    try {
      const rebind = rebindOf(l.bound);
      assert.ok(rebind);
      const r = await rebind([{ host: '127.0.0.1', port, tls: false }]);
      assert.deepEqual(r, { kind: 'ok', opened: [], closed: [] });
      assert.equal(rebindOf([...l.bound]), undefined, 'a copy carries no rebind');
    } finally {
      await l.close();
    }
    assert.equal(await portOpen(port), false, 'close() closes the rebound set');
  });
});
