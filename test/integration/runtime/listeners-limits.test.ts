// startListeners().setLimits on real sockets (what SIGHUP does with new MAXDAEMONS / MAXPERIP): the
// connections in progress stay, new ones follow the new limits, and a raised MAXDAEMONS lets the
// connections waiting for a slot in.
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { describe, test } from 'node:test';
import {
  type AdmittedConnection,
  ConnectionLimiter,
  type Listeners,
  relimitOf,
  startListeners,
} from '@courier-ts/runtime';
import { pino } from 'pino';
import { freePort } from '../../support/net.js';

interface Harness {
  readonly l: Listeners;
  readonly port: number;
  readonly admitted: AdmittedConnection[];
  /** Resolves at the next admission. */
  nextAdmitted(): Promise<AdmittedConnection>;
}

async function harness(maxDaemons: number, maxPerIp: number): Promise<Harness> {
  const port = await freePort();
  const admitted: AdmittedConnection[] = [];
  let waiter: ((c: AdmittedConnection) => void) | undefined;
  const l = await startListeners({
    bindings: [{ host: '127.0.0.1', port, tls: false }],
    limiter: new ConnectionLimiter(maxDaemons, maxPerIp),
    log: pino({ level: 'silent' }),
    onConnection: (c) => {
      admitted.push(c);
      c.socket.resume();
      c.socket.write('+OK\r\n');
      const w = waiter;
      waiter = undefined;
      w?.(c);
    },
  });
  return {
    l,
    port,
    admitted,
    nextAdmitted: () =>
      new Promise((r) => {
        waiter = r;
      }),
  };
}

/** Connect; resolves with the first bytes the server sent, or 'closed' when it closed the connection. */
function dial(port: number): { socket: Socket; first: Promise<string> } {
  const socket = connect({ port, host: '127.0.0.1' });
  socket.on('error', () => {});
  const first = new Promise<string>((resolve) => {
    socket.once('data', (d) => resolve(d.toString('latin1')));
    socket.once('close', () => resolve('closed'));
  });
  return { socket, first };
}

const settle = (ms = 100) => new Promise((r) => setTimeout(r, ms));

describe('Listeners.setLimits', () => {
  test('MAXDAEMONS raised: the waiting connection is admitted; lowered: the admitted ones stay', async () => {
    const h = await harness(1, 0);
    const sockets: Socket[] = [];
    try {
      const a = dial(h.port);
      sockets.push(a.socket);
      assert.equal(await a.first, '+OK\r\n');
      const b = dial(h.port);
      sockets.push(b.socket);
      await settle();
      assert.equal(h.l.waitingCount, 1, 'over MAXDAEMONS=1: held without a greeting');
      const admittedB = h.nextAdmitted();
      assert.equal(h.l.setLimits(2, 0), true);
      await admittedB;
      assert.equal(await b.first, '+OK\r\n');
      assert.equal(h.l.waitingCount, 0);

      assert.equal(h.l.setLimits(2, 0), false, 'same limits: nothing changed');
      assert.equal(h.l.setLimits(1, 0), true);
      const c = dial(h.port);
      sockets.push(c.socket);
      await settle();
      assert.equal(h.l.waitingCount, 1, 'two still admitted, one allowed: the new one waits');
      assert.equal(h.admitted.length, 2);
      assert.ok(!a.socket.destroyed && !b.socket.destroyed, 'sessions in progress untouched');
      // Two slots must free before the third fits under MAXDAEMONS=1.
      const admittedC = h.nextAdmitted();
      h.admitted[0]!.release();
      await settle();
      assert.equal(h.l.waitingCount, 1);
      h.admitted[1]!.release();
      await admittedC;
      assert.equal(await c.first, '+OK\r\n');
    } finally {
      for (const s of sockets) s.destroy();
      await h.l.close();
    }
  });

  test('MAXPERIP lowered: the next connection from that address is closed; the daemon finds it via `bound`', async () => {
    const h = await harness(0, 5);
    const sockets: Socket[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        const d = dial(h.port);
        sockets.push(d.socket);
        assert.equal(await d.first, '+OK\r\n');
      }
      const relimit = relimitOf(h.l.bound);
      assert.ok(relimit);
      assert.equal(relimitOf([...h.l.bound]), undefined, 'a copy carries no setLimits');
      assert.equal(relimit(0, 2), true);
      const refused = dial(h.port);
      sockets.push(refused.socket);
      assert.equal(await refused.first, 'closed');
      assert.equal(h.admitted.length, 2);
      relimit(0, 3);
      const d = dial(h.port);
      sockets.push(d.socket);
      assert.equal(await d.first, '+OK\r\n');
    } finally {
      for (const s of sockets) s.destroy();
      await h.l.close();
    }
  });
});
