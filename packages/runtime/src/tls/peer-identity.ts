import type { PeerCertificate, TLSSocket } from 'node:tls';
import type { VerifyPeer } from './tls-settings.js';

/** A verified client certificate, as a session sees it (SASL EXTERNAL, logging). */
export interface PeerIdentity {
  /** Subject fields by OpenSSL short name (CN, O, OU, emailAddress ...); repeated fields keep the first. */
  readonly subject: Readonly<Record<string, string>>;
  /** Every value of each subject field, in certificate order (couriertls exports the last one). */
  readonly subjectValues: Readonly<Record<string, readonly string[]>>;
  readonly issuer: Readonly<Record<string, string>>;
  /** The subject in one line, `CN=..., O=...`. */
  readonly subjectText: string;
  readonly serialNumber: string;
  readonly fingerprint256: string;
  readonly validTo: string;
}

export type PeerCheck =
  | { readonly kind: 'ok'; readonly peer?: PeerIdentity }
  | { readonly kind: 'failed'; readonly reason: string };

function allValues(o: PeerCertificate['subject'] | undefined): Record<string, readonly string[]> {
  const out: Record<string, readonly string[]> = {};
  for (const [k, v] of Object.entries(o ?? {})) {
    const list = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
    if (list.length > 0) out[k] = list;
  }
  return out;
}

function fields(o: PeerCertificate['subject'] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o ?? {})) {
    const first = Array.isArray(v) ? v[0] : v;
    if (typeof first === 'string') out[k] = first;
  }
  return out;
}

/** The client certificate of a TLS socket, whether or not it was verified; undefined when none was sent. */
export function peerIdentity(socket: TLSSocket): PeerIdentity | undefined {
  const cert = socket.getPeerCertificate();
  if (!cert || Object.keys(cert).length === 0 || !cert.subject) return undefined;
  const subject = fields(cert.subject);
  return {
    subject,
    subjectValues: allValues(cert.subject),
    issuer: fields(cert.issuer),
    subjectText: Object.entries(subject)
      .map(([k, v]) => `${k}=${v}`)
      .join(', '),
    serialNumber: cert.serialNumber,
    fingerprint256: cert.fingerprint256,
    validTo: cert.valid_to,
  };
}

/** OpenSSL's verification result for the client certificate (null = verified). Node keeps it on the handle. */
function verifyError(socket: TLSSocket): Error | null {
  const handle = (socket as unknown as { _handle?: { verifyError?: () => Error | null } })._handle;
  if (typeof handle?.verifyError !== 'function') return new Error('verification result unavailable');
  return handle.verifyError();
}

/**
 * TLS_VERIFYPEER after the handshake, as couriertls: PEER accepts a client without a certificate
 * but shuts down one whose certificate does not verify against TLS_TRUSTCERTS; REQUIREPEER also
 * shuts down a client without one. (A standalone TLSSocket, unlike tls.Server, checks nothing.)
 */
export function checkPeer(socket: TLSSocket, mode: VerifyPeer): PeerCheck {
  if (mode === 'NONE') return { kind: 'ok' };
  const peer = peerIdentity(socket);
  if (!peer) {
    return mode === 'REQUIREPEER' ? { kind: 'failed', reason: 'no client certificate' } : { kind: 'ok' };
  }
  const err = verifyError(socket);
  if (err) {
    const code = (err as NodeJS.ErrnoException).code ?? err.message;
    return { kind: 'failed', reason: `client certificate "${peer.subjectText}" not trusted: ${code}` };
  }
  return { kind: 'ok', peer };
}

/**
 * couriertls (GnuTLS build, Debian's) names subject fields after its own table (`cn`, `o`, `ou`,
 * `emailaddress`, `givenName` ...), which matches OpenSSL's short names once case is ignored, except:
 */
const COURIER_TO_OPENSSL: Readonly<Record<string, string>> = {
  givenname: 'gn',
};

/**
 * The login id for SASL EXTERNAL, as Courier's externalauth() finds it: the environment variable
 * `TLS_SUBJECT_<TLS_EXTERNAL in upper case>` that couriertls set from the client certificate's
 * subject. The field name is matched without regard to case; when the field repeats, the last value
 * wins (each one overwrote the variable). Undefined when TLS_EXTERNAL is empty or the certificate
 * has no such field (or only an empty one).
 */
export function externalLoginId(peer: PeerIdentity, field: string): string | undefined {
  const want = field.trim().toLowerCase();
  if (want === '') return undefined;
  const key = COURIER_TO_OPENSSL[want] ?? want;
  let found: string | undefined;
  for (const [k, values] of Object.entries(peer.subjectValues)) {
    if (k.toLowerCase() === key) found = values[values.length - 1];
  }
  return found === '' ? undefined : found;
}
