import type { SecureVersion } from 'node:tls';
import { parseTlsPriority } from './tls-priority.js';

/** TLS_VERIFYPEER: no client certificate, an optional one (verified if sent), a required one. */
export type VerifyPeer = 'NONE' | 'PEER' | 'REQUIREPEER';

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
  /** TLS 1.3 cipher suites (from TLS_PRIORITY). */
  readonly cipherSuites?: string;
  /** The server's cipher order wins (TLS_PRIORITY `%SERVER_PRECEDENCE`). */
  readonly honorCipherOrder?: boolean;
  /** TLS_VERIFYPEER (unset: PEER, as couriertls). */
  readonly verifyPeer?: VerifyPeer;
  /** TLS_TRUSTCERTS: CA file, or directory of PEM files, for client certificates. */
  readonly trustCerts?: string;
  /** TLS_EXTERNAL: the client certificate's subject field that holds the login id (SASL EXTERNAL). */
  readonly externalField?: string;
  /** TLS_CACHESIZE: bytes of the in-memory session-ID cache (0 = no cache; tickets still work). */
  readonly sessionCacheBytes?: number;
  /** Settings that could not be honoured as written, for a warning at start and on SIGHUP. */
  readonly warnings?: readonly string[];
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

const VERIFY: readonly VerifyPeer[] = ['NONE', 'PEER', 'REQUIREPEER'];

/**
 * TLS_VERIFYPEER as couriertls reads it (observed on Courier 5.0.13): unset or empty is PEER (a client
 * certificate is requested and verified if one is sent); otherwise only the first letter counts, in
 * either case: P is PEER, R is REQUIREPEER, anything else NONE.
 */
export function verifyPeerOf(raw: string | undefined): VerifyPeer {
  if (raw === undefined || raw === '') return 'PEER';
  const first = raw[0]!.toUpperCase();
  return first === 'P' ? 'PEER' : first === 'R' ? 'REQUIREPEER' : 'NONE';
}

/**
 * Courier's TLS_* keys -> TlsSettings. TLS_PROTOCOL and TLS_CIPHER_LIST (OpenSSL build keys) win
 * over what TLS_PRIORITY (GnuTLS build key) says about versions and ciphers. Anything that cannot
 * be honoured ends up in `warnings`.
 */
export function resolveTlsSettings(
  get: (key: string) => string | undefined,
  defaultCertFile: string,
): TlsSettings {
  const warnings: string[] = [];
  const nonEmpty = (key: string): string | undefined => {
    const v = get(key)?.trim();
    return v ? v : undefined;
  };
  const protocol = parseTlsProtocol(get('TLS_PROTOCOL'));
  const priorityText = nonEmpty('TLS_PRIORITY');
  const priority = parseTlsPriority(priorityText);
  if (priority.unmapped.length > 0) {
    warnings.push(
      `TLS_PRIORITY="${priorityText}": not supported (no OpenSSL equivalent), ignored: ${priority.unmapped.join(' ')}`,
    );
  }
  const keyFile = nonEmpty('TLS_PRIVATE_KEYFILE');
  const ciphers = nonEmpty('TLS_CIPHER_LIST') ?? priority.ciphers;
  const dh = nonEmpty('TLS_DHPARAMS');
  const trustCerts = nonEmpty('TLS_TRUSTCERTS');
  const externalField = nonEmpty('TLS_EXTERNAL');
  const verifyRaw = get('TLS_VERIFYPEER');
  const verifyPeer = verifyPeerOf(verifyRaw);
  if (verifyRaw && !(VERIFY as readonly string[]).includes(verifyRaw.toUpperCase())) {
    warnings.push(
      `TLS_VERIFYPEER="${verifyRaw}": not NONE, PEER or REQUIREPEER; read as ${verifyPeer}, as couriertls does (it looks at the first letter only)`,
    );
  }
  if (verifyRaw && verifyPeer !== 'NONE' && !trustCerts) {
    warnings.push(
      `TLS_VERIFYPEER=${verifyPeer} without TLS_TRUSTCERTS: no client certificate can be verified`,
    );
  }
  if (nonEmpty('TLS_MIN_DH_BITS') !== undefined) {
    warnings.push(
      "TLS_MIN_DH_BITS: not supported, ignored (GnuTLS applies it to the peer's DH key as a TLS client; a server has no such check in OpenSSL; the server's own DH size comes from TLS_DHPARAMS)",
    );
  }
  const cacheSize = Number.parseInt(get('TLS_CACHESIZE')?.trim() ?? '', 10);
  const fromProtocol = get('TLS_PROTOCOL')?.trim() ? protocol : {};
  const versions =
    Object.keys(fromProtocol).length > 0
      ? fromProtocol
      : {
          ...(priority.minVersion ? { minVersion: priority.minVersion } : {}),
          ...(priority.maxVersion ? { maxVersion: priority.maxVersion } : {}),
        };
  return {
    certFile: nonEmpty('TLS_CERTFILE') ?? defaultCertFile,
    ...(keyFile ? { keyFile } : {}),
    ...versions,
    ...(ciphers ? { ciphers } : {}),
    ...(priority.cipherSuites ? { cipherSuites: priority.cipherSuites } : {}),
    ...(priority.honorCipherOrder ? { honorCipherOrder: true } : {}),
    ...(dh ? { dhParamsFile: dh } : {}),
    verifyPeer,
    ...(trustCerts ? { trustCerts } : {}),
    ...(externalField ? { externalField } : {}),
    sessionCacheBytes: Number.isFinite(cacheSize) && cacheSize >= 0 ? cacheSize : 524_288,
    warnings,
  };
}
