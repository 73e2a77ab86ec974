import type { SecureVersion } from 'node:tls';

/** The TLS_* keys the runtime understands, already typed. */
export interface TlsSettings {
  /** TLS_CERTFILE: Courier's combined private key + certificate chain PEM. */
  readonly certFile: string;
  /** TLS_PRIVATE_KEYFILE (optional): the key, when not inside certFile. */
  readonly keyFile?: string;
  readonly minVersion?: SecureVersion;
  readonly maxVersion?: SecureVersion;
  /** TLS_CIPHER_LIST (OpenSSL syntax). */
  readonly ciphers?: string;
  /** TLS_DHPARAMS file (used when it exists). */
  readonly dhParamsFile?: string;
  /** Handshake timeout in ms. */
  readonly handshakeTimeoutMs?: number;
}

const VERSIONS: Readonly<Record<string, SecureVersion>> = {
  TLSV1: 'TLSv1',
  'TLSV1.1': 'TLSv1.1',
  'TLSV1.2': 'TLSv1.2',
  'TLSV1.3': 'TLSv1.3',
};

/**
 * Courier's TLS_PROTOCOL: `TLSv1.2` = exactly that version, `TLSv1.2++` = that version or later.
 * Unknown or empty values leave Node's defaults.
 */
export function parseTlsProtocol(value: string | undefined): {
  minVersion?: SecureVersion;
  maxVersion?: SecureVersion;
} {
  const v = (value ?? '').trim().toUpperCase();
  if (v === '') return {};
  const plus = v.endsWith('++');
  const name = VERSIONS[plus ? v.slice(0, -2) : v];
  if (!name) return {};
  return plus ? { minVersion: name } : { minVersion: name, maxVersion: name };
}
