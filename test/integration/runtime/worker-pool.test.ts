// WorkerPool as root: a uid's sessions share one worker process until it has `spreadAt` sessions at
// work; then new sessions go to another worker (up to maxWorkersPerUid), the least busy first.
// Sessions waiting on their client (IMAP IDLE) do not count.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { WorkerPool } from '@courier-ts/runtime';
import { pino } from 'pino';
import { repoRoot } from '../../support/paths.js';
import { isRoot, mailUser } from '../../support/users.js';

interface Client {
  readonly pid: number;
  say(line: string): Promise<string>;
  quit(): Promise<void>;
}

/** A listener whose accepted sockets go to the pool; `open()` connects a client and reads its pid line. */
async function harness(pool: WorkerPool) {
  const user = mailUser();
  const ended: Promise<void>[] = [];
  const sockets: Socket[] = [];
  const server: Server = createServer((socket: Socket) => {
    sockets.push(socket);
    // What a login phase leaves on its socket (a reply writer's close handler, say).
    socket.on('close', () => sockets.length);
    ended.push(
      pool.run({
        ids: { uid: user.uid, gid: user.gid, home: '/' },
        stream: socket,
        relay: false,
        pending: Buffer.alloc(0),
        init: null,
        bindings: {},
      }),
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  const clients: Socket[] = [];
  const open = async (): Promise<Client> => {
    const s = connect(port, '127.0.0.1');
    clients.push(s);
    let buffered = '';
    const waiters: ((l: string) => void)[] = [];
    s.on('data', (b: Buffer) => {
      buffered += b.toString('latin1');
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        waiters.shift()?.(line);
      }
    });
    const next = () => new Promise<string>((r) => waiters.push(r));
    const first = await next();
    const pid = Number(/^pid (\d+)$/.exec(first)?.[1]);
    assert.ok(pid > 0, first);
    return {
      pid,
      async say(line) {
        const reply = next();
        s.write(`${line}\n`);
        return reply;
      },
      async quit() {
        const reply = next();
        s.write('quit\n');
        assert.equal(await reply, 'bye');
        s.destroy();
      },
    };
  };
  const close = async () => {
    server.close();
    // A test that failed half-way left clients open: their sessions must end too.
    for (const c of clients) c.destroy();
    await Promise.all(ended);
  };
  return { open, close, uid: user.uid, sockets };
}

/** The pool hears of `wait` / `work` over IPC, a moment after the session answered the client. */
async function activeBecomes(pool: WorkerPool, uid: number, n: number): Promise<void> {
  for (let i = 0; i < 500 && pool.activeSessionsOf(uid) !== n; i++)
    await new Promise((r) => setTimeout(r, 10));
  assert.equal(pool.activeSessionsOf(uid), n);
}

function newPool(o: { max: number; spreadAt: number }): WorkerPool {
  const moduleUrl = pathToFileURL(
    join(repoRoot, 'test', 'dist', 'integration', 'runtime', 'support', 'pid-session.js'),
  ).href;
  return new WorkerPool({
    session: { moduleUrl, exportName: 'pidSession' },
    log: pino({ level: 'silent' }),
    logSettings: { format: 'json', level: 'silent' },
    maxWorkersPerUid: o.max,
    spreadAt: o.spreadAt,
    busyElu: -1, // every worker counts as busy: placement by sessions at work alone
  });
}

describe('WorkerPool: processes per uid', { skip: !isRoot() && 'needs root (workers switch uid)' }, () => {
  test('a second worker only once the first has spreadAt sessions at work', async () => {
    const pool = newPool({ max: 2, spreadAt: 2 });
    const h = await harness(pool);
    try {
      const a = await h.open();
      const b = await h.open();
      assert.equal(b.pid, a.pid, 'one session at work: the same worker');
      assert.equal(pool.workersOf(h.uid), 1);
      const c = await h.open();
      assert.notEqual(c.pid, a.pid, 'two at work: another worker');
      assert.equal(pool.workersOf(h.uid), 2);
      const d = await h.open();
      assert.equal(d.pid, c.pid, 'the least busy worker takes the next one');
      const e = await h.open();
      assert.ok([a.pid, c.pid].includes(e.pid), 'never more than maxWorkersPerUid');
      assert.equal(pool.workersOf(h.uid), 2);
      for (const x of [a, b, c, d, e]) await x.quit();
    } finally {
      await h.close();
      await pool.shutdown();
    }
  });

  test("a worker runs without V8's memory reducer, and with gc() for its own idle collection", async () => {
    const pool = newPool({ max: 1, spreadAt: 1 });
    const h = await harness(pool);
    try {
      const a = await h.open();
      const flags = await a.say('flags');
      assert.match(flags, /^flags .*--no-memory-reducer/, flags);
      assert.match(flags, / gc=function$/, flags);
      await a.quit();
    } finally {
      await h.close();
      await pool.shutdown();
    }
  });

  test('a socket handed over keeps none of the listeners of this process (they would keep its login phase)', async () => {
    const pool = newPool({ max: 1, spreadAt: 1 });
    const h = await harness(pool);
    try {
      const a = await h.open();
      const mine = h.sockets[0]!;
      for (const event of ['close', 'data', 'end', 'readable'])
        assert.equal(mine.listenerCount(event), 0, `${event} listeners left`);
      assert.equal(mine.listenerCount('error'), 1, 'an error listener of its own');
      assert.equal(await a.say('hello'), 'ok hello', 'the session goes on in the worker');
      await a.quit();
    } finally {
      await h.close();
      await pool.shutdown();
    }
  });

  test('sessions waiting on their client (IDLE) do not count as load', async () => {
    const pool = newPool({ max: 2, spreadAt: 2 });
    const h = await harness(pool);
    try {
      const idle: Client[] = [];
      for (let i = 0; i < 5; i++) {
        const x = await h.open();
        assert.equal(await x.say('wait'), 'ok wait');
        await activeBecomes(pool, h.uid, 0);
        idle.push(x);
      }
      assert.equal(pool.workersOf(h.uid), 1, 'five idling sessions: one process');
      assert.ok(idle.every((x) => x.pid === idle[0]!.pid));
      // Back at work: two busy sessions there now, so the next one goes elsewhere.
      assert.equal(await idle[0]!.say('work'), 'ok work');
      assert.equal(await idle[1]!.say('work'), 'ok work');
      await activeBecomes(pool, h.uid, 2);
      const next = await h.open();
      assert.notEqual(next.pid, idle[0]!.pid);
      assert.equal(pool.workersOf(h.uid), 2);
      for (const x of [...idle, next]) await x.quit();
    } finally {
      await h.close();
      await pool.shutdown();
    }
  });

  test('maxWorkersPerUid 1 keeps every session of the uid in one process', async () => {
    const pool = newPool({ max: 1, spreadAt: 1 });
    const h = await harness(pool);
    try {
      const xs = [await h.open(), await h.open(), await h.open()];
      assert.ok(xs.every((x) => x.pid === xs[0]!.pid));
      assert.equal(pool.workerCount, 1);
      for (const x of xs) await x.quit();
    } finally {
      await h.close();
      await pool.shutdown();
    }
  });
});
