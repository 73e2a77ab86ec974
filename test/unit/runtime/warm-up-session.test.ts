// runWarmUpSession: a session function driven over a real unix socket pair or loopback TCP connection,
// with a context shaped as worker-main.ts builds it (init cloned as an IPC message is, `pending` a
// Buffer, a `waiting` callback, the logger given); every reply counted; stopped by the signal. And
// warmUpLogger: a worker-shaped session logger that writes nowhere.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Socket } from 'node:net';
import { describe, test } from 'node:test';
import {
  runWarmUpSession,
  type SessionContext,
  type SessionMain,
  type WarmUpTransport,
  warmUpLogger,
} from '@courier-ts/runtime';
import { pino } from 'pino';
import { repoRoot } from '../../support/paths.js';

interface Init {
  readonly greeting: string;
  readonly nested: { readonly n: number };
}

interface Seen {
  stream?: unknown;
  /** The peer's address as the session saw it (a unix socket has none). */
  remote?: string | undefined;
  ctx?: SessionContext<Init>;
}

/** Greets, then answers each line `+OK <line>` until QUIT; records what it was given. */
function echoMain(seen: Seen): SessionMain<Init> {
  return async (stream, ctx) => {
    seen.stream = stream;
    seen.remote = stream instanceof Socket ? stream.remoteAddress : 'not a socket';
    seen.ctx = ctx;
    stream.write(`${ctx.init.greeting}\r\n`);
    let buf = '';
    for await (const chunk of stream) {
      buf += (chunk as Buffer).toString('latin1');
      for (let lf = buf.indexOf('\n'); lf !== -1; lf = buf.indexOf('\n')) {
        const line = buf.slice(0, lf).trimEnd();
        buf = buf.slice(lf + 1);
        stream.write(`+OK ${line}\r\n`);
        if (line === 'QUIT') {
          stream.end();
          return;
        }
      }
    }
  };
}

const oneLine = (r: string): boolean => r.endsWith('\r\n');

const TRANSPORTS: ReadonlyArray<{ transport: WarmUpTransport; remote: string | undefined }> = [
  { transport: 'tcp', remote: '127.0.0.1' },
  { transport: 'socket-pair', remote: undefined },
];

describe('runWarmUpSession', () => {
  for (const { transport, remote } of TRANSPORTS) {
    test(`${transport}: its socket, worker-shaped context, every reply counted`, async () => {
      const seen: Seen = {};
      const init: Init = { greeting: '+OK hello', nested: { n: 7 } };
      const log = pino({ level: 'silent' });
      const replies: string[] = [];
      const n = await runWarmUpSession(
        echoMain(seen),
        init,
        new AbortController().signal,
        async (t) => {
          replies.push(await t.greeting(oneLine));
          for (const cmd of ['STAT', 'LIST 1', 'QUIT']) replies.push(await t.send(cmd, oneLine));
        },
        { transport, log },
      );
      assert.equal(n, 4);
      assert.deepEqual(replies, ['+OK hello\r\n', '+OK STAT\r\n', '+OK LIST 1\r\n', '+OK QUIT\r\n']);
      assert.ok(seen.stream instanceof Socket);
      // A TCP socket has the peer's address; a unix socket has none.
      assert.equal(seen.remote, remote);
      const ctx = seen.ctx!;
      assert.deepEqual(Object.keys(ctx), ['init', 'pending', 'log', 'signal', 'waiting']);
      assert.notEqual(ctx.init, init, 'a copy, as a worker gets it');
      assert.notEqual(ctx.init.nested, init.nested);
      assert.deepEqual(ctx.init, init);
      assert.ok(Buffer.isBuffer(ctx.pending));
      assert.equal(ctx.pending.length, 0);
      assert.equal(ctx.log, log);
      assert.equal(typeof ctx.waiting, 'function');
    });
  }

  test('without options: a socket pair and a silent logger', async () => {
    const seen: Seen = {};
    const n = await runWarmUpSession(
      echoMain(seen),
      { greeting: '+OK', nested: { n: 1 } },
      new AbortController().signal,
      async (t) => {
        await t.greeting(oneLine);
        await t.send('QUIT', oneLine);
      },
    );
    assert.equal(n, 2);
    assert.ok(seen.stream instanceof Socket);
    assert.equal(seen.remote, undefined);
    assert.equal(seen.ctx!.log.level, 'silent');
  });

  for (const { transport } of TRANSPORTS) {
    test(`${transport}: stops when the signal fires: the talk is cut short, the session ends`, async () => {
      const stop = new AbortController();
      let sent = 0;
      const n = await runWarmUpSession(
        echoMain({}),
        { greeting: '+OK', nested: { n: 0 } },
        stop.signal,
        async (t) => {
          await t.greeting(oneLine);
          for (;;) {
            if (++sent === 5) stop.abort();
            await t.send('NOOP', oneLine);
          }
        },
        { transport },
      );
      assert.ok(n >= 1 && n < 6, `stopped early (${n} replies)`);
    });
  }
});

describe('warmUpLogger', () => {
  for (const format of ['json', 'text'] as const) {
    test(`${format}: the level and bindings of a worker's session logger, real level methods`, () => {
      const log = warmUpLogger({ format, level: 'info' }, { cid: 'warm-up', proto: 'pop3' });
      assert.equal(log.level, 'info');
      assert.deepEqual(log.bindings(), { cid: 'warm-up', proto: 'pop3' });
      // pino gives disabled levels one shared no-op; enabled ones are real functions.
      assert.notEqual(log.info, log.trace);
      assert.equal(log.isLevelEnabled('info'), true);
      // Writes nowhere: a process logging through it prints nothing.
      const script = [
        "import { warmUpLogger } from '@courier-ts/runtime';",
        `const log = warmUpLogger({ format: '${format}', level: 'info' }, { cid: 'warm-up' });`,
        "log.info('LOGIN, user=warm-up'); log.warn({ n: 1 }, 'a warning'); log.error('an error');",
        "console.log('done');",
      ].join('\n');
      const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: repoRoot,
        encoding: 'utf8',
      });
      assert.equal(out.stderr, '');
      assert.equal(out.stdout, 'done\n');
    });
  }
});
