import type { PeerCertificate, TLSSocket } from 'node:tls';
import type { VerifyPeer } from './tls-settings.js';

/** A verified client certificate, as a session sees it (SASL EXTERNAL, logging). */
export interface PeerIdentity {
  /** Subject fields by OpenSSL short name (CN, O, OU, emailAddress ...); repeated fields keep the first. */
  readonly subject: Readonly<Record<string, string>>;
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

/** Long names Courier's TLS_EXTERNAL may use for the short subject names OpenSSL reports. */
const ALIASES: Readonly<Record<string, string>> = {
  commonname: 'cn',
  organization: 'o',
  organizationname: 'o',
  organizationalunit: 'ou',
  organizationalunitname: 'ou',
  country: 'c',
  countryname: 'c',
  locality: 'l',
  localityname: 'l',
  state: 'st',
  stateorprovincename: 'st',
  email: 'emailaddress',
};

/**
 * The login id for SASL EXTERNAL: the subject field TLS_EXTERNAL names (`emailaddress`, `CN` ...,
 * matched without regard to case). Undefined when the certificate has no such field.
 */
export function externalLoginId(peer: PeerIdentity, field: string): string | undefined {
  const want = field.trim().toLowerCase();
  const key = ALIASES[want] ?? want;
  for (const [k, v] of Object.entries(peer.subject)) if (k.toLowerCase() === key && v !== '') return v;
  return undefined;
}
