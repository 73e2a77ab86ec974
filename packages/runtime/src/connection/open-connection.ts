import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { AdmittedConnection } from '../listen/listeners.js';
import type { CertificateStore } from '../tls/certificate-store.js';
import type { PeerIdentity } from '../tls/peer-identity.js';
import { startTls } from '../tls/start-tls.js';
import { type ConnectionInfo, connectionInfo, connectionLogger } from './connection-context.js';

export interface OpenConnectionOptions {
  readonly log: Logger;
  readonly proto: string;
  readonly certs: CertificateStore;
  readonly nextId: () => string;
  readonly now: () => number;
}

/**
 * A connection ready for its greeting, or one whose implicit-TLS handshake failed (close `stream`).
 * `peer`: the verified client certificate of an implicit-TLS connection (TLS_VERIFYPEER).
 */
export type OpenedConnection =
  | {
      readonly kind: 'open';
      readonly stream: Duplex;
      readonly info: ConnectionInfo;
      readonly log: Logger;
      readonly peer?: PeerIdentity;
    }
  | { readonly kind: 'failed'; readonly stream: Duplex };

/**
 * The first steps of every session, both servers: no-delay, the connection's identity and child logger,
 * Courier's `Connection, ip=[...]` line, and the TLS handshake on an implicit-TLS port.
 */
export async function openConnection(
  conn: AdmittedConnection,
  o: OpenConnectionOptions,
): Promise<OpenedConnection> {
  const { socket, binding } = conn;
  socket.setNoDelay(true);
  const info = connectionInfo(socket, o.nextId(), o.now());
  const log = connectionLogger(o.log, info, o.proto);
  socket.on('error', (err) => log.debug({ err }, 'socket error'));
  log.debug(`Connection, ip=[${info.remoteIp}], port=[${info.remotePort}]`);
  if (!binding.tls) return { kind: 'open', stream: socket, info, log };
  const r = await startTls(socket, o.certs);
  if (r.kind === 'failed') {
    log.info({ reason: r.reason }, `TLS handshake failed, ip=[${info.remoteIp}], port=[${info.remotePort}]`);
    return { kind: 'failed', stream: socket };
  }
  return { kind: 'open', stream: r.socket, info, log, ...(r.peer ? { peer: r.peer } : {}) };
}
