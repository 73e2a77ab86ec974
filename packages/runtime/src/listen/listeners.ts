import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import { RuntimeError } from '../errors.js';
import { courierAddress } from '../log/courier-address.js';
import type { ConnectionLimiter } from './connection-limiter.js';
import { type BoundListener, ListenerSet, type RebindResult } from './listener-set.js';
import type { ListenBinding } from './port-list.js';

export type { BoundListener, RebindResult };

/** How a rebind is reached from a server's `bound` list (see `rebindOf`). */
const REBIND = Symbol('courier-ts.listeners.rebind');

/** How new MAXDAEMONS / MAXPERIP are reached from a server's `bound` list (see `relimitOf`). */
const RELIMIT = Symbol('courier-ts.listeners.relimit');

type Rebind = (bindings: readonly ListenBinding[]) => Promise<RebindResult>;

/** New MAXDAEMONS / MAXPERIP (0 = none); true when they differ from the ones in force. */
export type Relimit = (maxDaemons: number, maxPerIp: number) => boolean;

/**
 * The rebind function of the listeners whose live `bound` list this is, if any. Servers hand
 * `listeners.bound` up unchanged, so the daemon can rebind on SIGHUP without each server wiring it.
 */
export function rebindOf(bound: readonly BoundListener[]): Rebind | undefined {
  const f = (bound as { [REBIND]?: Rebind })[REBIND];
  return typeof f === 'function' ? f : undefined;
}

/** The `setLimits` of the listeners whose live `bound` list this is, if any (as `rebindOf`). */
export function relimitOf(bound: readonly BoundListener[]): Relimit | undefined {
  const f = (bound as { [RELIMIT]?: Relimit })[RELIMIT];
  return typeof f === 'function' ? f : undefined;
}

export interface AdmittedConnection {
  readonly socket: Socket;
  readonly binding: ListenBinding;
  /** Call exactly once when the connection is over: frees the MAXDAEMONS / MAXPERIP slots. */
  readonly release: () => void;
}

export interface ListenersOptions {
  readonly bindings: readonly ListenBinding[];
  readonly limiter: ConnectionLimiter;
  readonly log: Logger;
  /** Connections held without a greeting while MAXDAEMONS are busy; beyond this they are closed. */
  readonly maxWaiting?: number;
  readonly onConnection: (conn: AdmittedConnection) => void;
}

export interface Listeners {
  /** Live: the sockets listening now (changes after a rebind). */
  readonly bound: readonly BoundListener[];
  /**
   * SIGHUP: listen on exactly these bindings. New sockets are opened first; the old ones not wanted
   * any more are closed only if all opened (connections in progress go on). On a failure nothing changes.
   */
  rebind(bindings: readonly ListenBinding[]): Promise<RebindResult>;
  /**
   * SIGHUP: MAXDAEMONS / MAXPERIP for new connections (sessions in progress are not touched); a
   * raised MAXDAEMONS admits the connections waiting for a slot. True when the limits changed.
   */
  setLimits: Relimit;
  /** Connections waiting for a free slot. */
  readonly waitingCount: number;
  /** Stop listening (existing connections are left alone). */
  close(): Promise<void>;
}

interface Waiting {
  readonly socket: Socket;
  readonly binding: ListenBinding;
}

function listenOne(binding: ListenBinding, onSocket: (s: Socket) => void): Promise<Server> {
  const tryListen = (host: string | undefined): Promise<Server> =>
    new Promise((resolve, reject) => {
      const server = createServer({ pauseOnConnect: true, noDelay: true }, onSocket);
      server.once('error', reject);
      const opts = host === undefined ? { port: binding.port } : { port: binding.port, host };
      server.listen(opts, () => {
        server.off('error', reject);
        resolve(server);
      });
    });
  return tryListen(binding.host).catch((err: NodeJS.ErrnoException) => {
    // All addresses on a host without IPv6: fall back to IPv4.
    if (binding.host === undefined && err.code === 'EAFNOSUPPORT') return tryListen('0.0.0.0');
    throw new RuntimeError('LISTEN_FAILED', `cannot listen on ${binding.host ?? '*'}:${binding.port}`, {
      cause: err,
    });
  });
}

/**
 * Listen on every binding and admit connections under MAXDAEMONS / MAXPERIP, as couriertcpd does:
 * over MAXPERIP a connection is closed at once with Courier's ALERT line; over MAXDAEMONS it is held,
 * paused and without a greeting, until a slot frees.
 */
export async function startListeners(options: ListenersOptions): Promise<Listeners> {
  const { limiter, log } = options;
  const waiting: Waiting[] = [];
  const maxWaiting = options.maxWaiting ?? 128;

  const admitOrQueue = (socket: Socket, binding: ListenBinding, fromQueue: boolean): void => {
    const remote = socket.remoteAddress ?? '';
    const verdict = limiter.admit(remote);
    if (verdict.kind === 'per-ip') {
      log.warn(
        { courierLevel: 'ALERT', remote },
        `Maximum connection limit reached for ${courierAddress(remote)}`,
      );
      socket.destroy();
      return;
    }
    if (verdict.kind === 'wait') {
      if (waiting.length >= maxWaiting) {
        socket.destroy();
        return;
      }
      if (fromQueue) waiting.unshift({ socket, binding });
      else waiting.push({ socket, binding });
      socket.once('close', () => {
        const i = waiting.findIndex((w) => w.socket === socket);
        if (i !== -1) waiting.splice(i, 1);
      });
      return;
    }
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      limiter.release(remote);
      drainQueue();
    };
    socket.setNoDelay(true);
    options.onConnection({ socket, binding, release });
  };

  const drainQueue = (): void => {
    while (waiting.length > 0 && limiter.hasSlot()) {
      const next = waiting.shift()!;
      if (next.socket.destroyed) continue;
      admitOrQueue(next.socket, next.binding, true);
    }
  };

  const set = new ListenerSet((binding) => listenOne(binding, (s) => admitOrQueue(s, binding, false)));
  await set.openAll(options.bindings);
  let rebinding: Promise<unknown> = Promise.resolve();
  const rebind: Rebind = (bindings) => {
    // One rebind at a time (two SIGHUPs in a row).
    const next = rebinding.then(() => set.rebind(bindings));
    rebinding = next.catch(() => {});
    return next;
  };
  const setLimits: Relimit = (maxDaemons, maxPerIp) => {
    const before = [limiter.maxDaemons, limiter.maxPerIp];
    limiter.setLimits(maxDaemons, maxPerIp);
    drainQueue();
    return before[0] !== limiter.maxDaemons || before[1] !== limiter.maxPerIp;
  };
  Object.defineProperty(set.bound, REBIND, { value: rebind, enumerable: false });
  Object.defineProperty(set.bound, RELIMIT, { value: setLimits, enumerable: false });
  return {
    bound: set.bound,
    rebind,
    setLimits,
    get waitingCount() {
      return waiting.length;
    },
    async close() {
      // Stop accepting; connections already accepted are ended by their sessions, not waited for here.
      set.closeAll();
      for (const w of waiting.splice(0)) w.socket.destroy();
    },
  };
}
