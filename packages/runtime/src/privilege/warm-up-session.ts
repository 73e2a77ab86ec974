/**
 * A warm-up session run the way a worker runs a real one, so that the code V8 compiles during the
 * warm-up is still valid for the first real session (no deoptimisation when it starts): the same
 * kind of socket, and a context of the same shape as worker-main.ts builds.
 */
import type { Socket } from 'node:net';
import { deserialize, serialize } from 'node:v8';
import { type Logger, pino } from 'pino';
import { loopbackPair } from './loopback-pair.js';
import { SocketPairFactory } from './socket-pair.js';
import type { SessionContext, SessionMain } from './types.js';

/**
 * The client side of a warm-up session: one line out, the reply in, until `complete` says it is
 * whole. A reply is seen (by `complete`, and as returned) whole while it is short, else as its
 * first HEAD_KEEP and last TAIL_KEEP characters: the checks look at its start and end, and a
 * reply of megabytes (a large message) is not joined and scanned again at every chunk.
 */
export interface WarmUpTalk {
  send(line: string, complete: (reply: string) => boolean): Promise<string>;
  /** The first bytes the session sent (its greeting), once `complete` says they are whole. */
  greeting(complete: (reply: string) => boolean): Promise<string>;
}

const HEAD_KEEP = 1024;
const TAIL_KEEP = 16 * 1024;

/** A reply as it arrives, kept as its start and its end (see WarmUpTalk). */
class ReplyView {
  private head = '';
  private tail = '';
  private long = false;

  add(chunk: string): void {
    if (!this.long && this.head.length + chunk.length <= HEAD_KEEP + TAIL_KEEP) {
      this.head += chunk;
      return;
    }
    if (!this.long) {
      this.long = true;
      this.tail = this.head.slice(HEAD_KEEP);
      this.head = this.head.slice(0, HEAD_KEEP);
    }
    const t = this.tail + chunk;
    this.tail = t.length > TAIL_KEEP ? t.slice(-TAIL_KEEP) : t;
  }

  /** The reply so far: whole, or its start and end with a NUL between them. */
  get text(): string {
    return this.long ? `${this.head}\0${this.tail}` : this.head;
  }

  clear(): void {
    this.head = '';
    this.tail = '';
    this.long = false;
  }
}

/**
 * `socket-pair`: a unix socket pair (how a TLS session reaches its worker, relayed by the parent);
 * `tcp`: a loopback TCP connection (a plain session's socket, handed to the worker as is).
 */
export type WarmUpTransport = 'socket-pair' | 'tcp';

export interface WarmUpSessionOptions {
  readonly transport: WarmUpTransport;
  /**
   * The session's logger. Give one shaped as a worker's (warmUpLogger: real level methods, writing
   * nowhere); default: a silent pino logger, whose no-op methods real sessions never have.
   */
  readonly log?: Logger;
}

/**
 * The context worker-main.ts hands a session, built the same way: same properties in the same order,
 * `init` and `pending` as they come out of the IPC message (structured-cloned; `pending` a Uint8Array
 * copied into a Buffer), and a `waiting` callback.
 */
function workerContext<I>(init: I, log: Logger, signal: AbortSignal): SessionContext<I> {
  const m = deserialize(serialize({ init, pending: new Uint8Array(0) })) as {
    init: I;
    pending: Uint8Array;
  };
  return {
    init: m.init,
    pending: Buffer.from(m.pending),
    log,
    signal,
    waiting: (_waiting: boolean): void => undefined,
  };
}

/** [client end, session end] over `transport`, and how to release what it took. */
async function connected(
  transport: WarmUpTransport,
): Promise<{ ends: [Socket, Socket]; close(): Promise<void> }> {
  if (transport === 'tcp') return { ends: await loopbackPair(), close: async () => undefined };
  const pairs = new SocketPairFactory();
  try {
    return { ends: await pairs.pair(), close: () => pairs.close() };
  } catch (err) {
    await pairs.close();
    throw err;
  }
}

/**
 * Runs `main` on the session end of a connection (`options.transport`) with a worker-shaped context,
 * and `talk` on the client end. Ends when `talk` is done (the client end is closed) or `signal` fires.
 * Warm-up only: the scratch data is the caller's. Returns the number of whole replies received.
 */
export async function runWarmUpSession<I>(
  main: SessionMain<I>,
  init: I,
  signal: AbortSignal,
  talk: (t: WarmUpTalk) => Promise<void>,
  options: WarmUpSessionOptions = { transport: 'socket-pair' },
): Promise<number> {
  const conn = await connected(options.transport);
  try {
    const [client, server] = conn.ends;
    const ctx = workerContext(init, options.log ?? pino({ level: 'silent' }), signal);
    const session = main(server, ctx).catch(() => undefined);
    const received = new ReplyView();
    let replies = 0;
    let waiter: (() => void) | undefined;
    client.on('data', (c: Buffer) => {
      received.add(c.toString('latin1'));
      waiter?.();
    });
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.on('error', () => undefined);
    const take = (complete: (reply: string) => boolean): Promise<string> =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (signal.aborted) reject(new Error('warm-up stopped'));
          else if (complete(received.text)) {
            const r = received.text;
            received.clear();
            waiter = undefined;
            replies++;
            resolve(r);
          }
        };
        waiter = check;
        void closed.then(() => reject(new Error('warm-up session closed')));
        check();
      });
    await talk({
      send: (line, complete) => {
        client.write(`${line}\r\n`);
        return take(complete);
      },
      greeting: take,
    }).catch(() => undefined);
    client.end();
    client.destroy();
    server.destroy();
    await session;
    return replies;
  } finally {
    await conn.close();
  }
}
