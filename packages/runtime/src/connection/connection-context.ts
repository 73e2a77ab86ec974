import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { courierAddress } from '../log/courier-address.js';

/** Who is on the other end, in the forms Courier logs (`::ffff:a.b.c.d`, decimal port). */
export interface ConnectionInfo {
  readonly cid: string;
  readonly remoteIp: string;
  readonly remotePort: number;
  readonly localIp: string;
  readonly localPort: number;
  readonly startedAt: number;
}

/** Connection ids: a per-process random prefix plus a counter (no global state: one per server). */
export function createIdSource(random: () => number = Math.random): () => string {
  const prefix = Math.floor(random() * 36 ** 4)
    .toString(36)
    .padStart(4, '0');
  let n = 0;
  return () => `${prefix}${(++n).toString(36)}`;
}

export function connectionInfo(socket: Socket, cid: string, now: number): ConnectionInfo {
  return {
    cid,
    remoteIp: courierAddress(socket.remoteAddress ?? ''),
    remotePort: socket.remotePort ?? 0,
    localIp: courierAddress(socket.localAddress ?? ''),
    localPort: socket.localPort ?? 0,
    startedAt: now,
  };
}

/** The per-connection child logger every module of a session logs through. */
export function connectionLogger(root: Logger, info: ConnectionInfo, proto: string): Logger {
  return root.child({ cid: info.cid, proto, remote: info.remoteIp });
}
