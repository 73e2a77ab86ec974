import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import type { CertificateStore } from './certificate-store.js';
import { checkPeer, type PeerIdentity } from './peer-identity.js';

export type TlsResult =
  /** `peer`: the client certificate, verified against TLS_TRUSTCERTS (TLS_VERIFYPEER=PEER/REQUIREPEER). */
  | { readonly kind: 'ok'; readonly socket: TLSSocket; readonly peer?: PeerIdentity }
  | { readonly kind: 'failed'; readonly reason: string };

/**
 * Discard whatever the client sent that has not been read yet. Called before a STARTTLS/STLS
 * reply: bytes sent before the client saw the reply are plaintext and must never be taken as
 * coming from inside the TLS session (CVE-2011-0411 style command injection).
 */
export function discardUnread(socket: Socket): number {
  let n = 0;
  for (let b = socket.read() as Buffer | null; b !== null; b = socket.read() as Buffer | null) n += b.length;
  return n;
}

/**
 * Run a server-side TLS handshake on a plain socket (implicit TLS, or after the STLS reply
 * has been flushed). The certificate comes from the store: SNI first, then the local address.
 * TLS_VERIFYPEER decides whether a client certificate is asked for and required; sessions are
 * resumed by ticket, or by ID through the store's session cache.
 */
export async function startTls(socket: Socket, store: CertificateStore): Promise<TlsResult> {
  let secureContext: Awaited<ReturnType<CertificateStore['contextFor']>>;
  const localIp = socket.localAddress?.replace(/^::ffff:/i, '');
  try {
    secureContext = await store.contextFor(localIp ? { localIp } : {});
  } catch (err) {
    return { kind: 'failed', reason: (err as Error).message };
  }
  const verify = store.verifyPeer;
  const tlsSocket = new TLSSocket(socket, {
    isServer: true,
    secureContext,
    requestCert: verify !== 'NONE',
    // With REQUIREPEER OpenSSL itself refuses a handshake without a certificate (alert 116).
    rejectUnauthorized: verify === 'REQUIREPEER',
    server: store.sessions.events,
    SNICallback: (servername, cb) => {
      store.contextFor(localIp ? { servername, localIp } : { servername }).then(
        (ctx) => cb(null, ctx),
        (err: Error) => cb(err),
      );
    },
  });
  return new Promise<TlsResult>((resolve) => {
    const timer = setTimeout(
      () => finish({ kind: 'failed', reason: 'handshake timeout' }),
      store.handshakeTimeoutMs,
    );
    const onError = (err: Error): void => finish({ kind: 'failed', reason: err.message });
    const onClose = (): void => finish({ kind: 'failed', reason: 'connection closed during handshake' });
    const finish = (r: TlsResult): void => {
      clearTimeout(timer);
      tlsSocket.off('secure', onSecure);
      tlsSocket.off('error', onError);
      tlsSocket.off('close', onClose);
      if (r.kind === 'failed') {
        tlsSocket.on('error', () => {});
        tlsSocket.destroy();
      }
      resolve(r);
    };
    const onSecure = (): void => {
      const check = checkPeer(tlsSocket, verify);
      if (check.kind === 'failed') finish(check);
      else
        finish(
          check.peer
            ? { kind: 'ok', socket: tlsSocket, peer: check.peer }
            : { kind: 'ok', socket: tlsSocket },
        );
    };
    tlsSocket.once('secure', onSecure);
    tlsSocket.once('error', onError);
    tlsSocket.once('close', onClose);
  });
}

/** Write the go-ahead reply in plaintext and wait until it has left for the kernel. */
export function writeAndFlush(socket: Socket, data: string): Promise<void> {
  return new Promise((resolve) => {
    socket.write(data, 'latin1', () => resolve());
  });
}
