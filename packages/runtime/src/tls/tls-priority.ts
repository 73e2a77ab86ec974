import { DEFAULT_CIPHERS, type SecureVersion } from 'node:tls';

/** What a GnuTLS priority string (TLS_PRIORITY) means for OpenSSL, and what it could not map. */
export interface PriorityMapping {
  readonly minVersion?: SecureVersion;
  readonly maxVersion?: SecureVersion;
  /** TLS 1.2 and older cipher list (OpenSSL syntax). */
  readonly ciphers?: string;
  /** TLS 1.3 cipher suites (OpenSSL syntax). */
  readonly cipherSuites?: string;
  /** `%SERVER_PRECEDENCE`: the server's cipher order wins. */
  readonly honorCipherOrder?: boolean;
  /** Parts of the string with no OpenSSL equivalent (reported at start, never silently dropped). */
  readonly unmapped: readonly string[];
}

const ORDER: readonly SecureVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

const GNUTLS_VERSION: Readonly<Record<string, SecureVersion>> = {
  'VERS-TLS1.0': 'TLSv1',
  'VERS-TLS1.1': 'TLSv1.1',
  'VERS-TLS1.2': 'TLSv1.2',
  'VERS-TLS1.3': 'TLSv1.3',
};

const STRONG_SUITES = 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256';

/** The base keywords: Node's defaults, or a 256-bit-only selection (SECURE192/SECURE256). */
const KEYWORDS: Readonly<Record<string, { ciphers?: string; cipherSuites?: string }>> = {
  NORMAL: {},
  PERFORMANCE: {},
  LEGACY: {},
  '@SYSTEM': {},
  SECURE128: {},
  SECURE: {},
  PFS: { ciphers: `${DEFAULT_CIPHERS}:!kRSA` },
  SECURE192: { ciphers: 'ECDHE+AES256:DHE+AES256:ECDHE+CHACHA20:!SHA1:!aNULL', cipherSuites: STRONG_SUITES },
  SECURE256: { ciphers: 'ECDHE+AES256:DHE+AES256:ECDHE+CHACHA20:!SHA1:!aNULL', cipherSuites: STRONG_SUITES },
};

/**
 * Map Courier's TLS_PRIORITY (GnuTLS `gnutls_priority_init` syntax; Debian's Courier is built
 * with GnuTLS) onto OpenSSL settings. Mapped: the base keyword (NORMAL, PERFORMANCE, LEGACY,
 * @SYSTEM, SECURE128 = Node's defaults; PFS = no RSA key exchange; SECURE192/SECURE256 = 256-bit
 * ciphers only), protocol versions (`-VERS-ALL`, `±VERS-TLS1.x`, `VERS-TLS-ALL`) and
 * `%SERVER_PRECEDENCE`. Everything else (single ciphers, MACs, groups, signature algorithms, other
 * `%` flags) is returned in `unmapped`. Version tokens only narrow or widen the version range:
 * OpenSSL cannot enable a set with holes (e.g. TLS1.0 and TLS1.2 without TLS1.1).
 */
export function parseTlsPriority(value: string | undefined): PriorityMapping {
  const v = (value ?? '').trim();
  if (v === '') return { unmapped: [] };
  const parts = v.split(':').filter((p) => p !== '');
  const unmapped: string[] = [];
  const out: { ciphers?: string; cipherSuites?: string; honorCipherOrder?: boolean } = {};
  // Node's default range is TLS 1.2 - 1.3; GnuTLS NORMAL also allows 1.0/1.1, which OpenSSL's
  // security level refuses anyway.
  const versions = new Set<SecureVersion>(['TLSv1.2', 'TLSv1.3']);
  let versionsTouched = false;
  parts.forEach((raw, i) => {
    const token = raw.toUpperCase();
    const keyword = KEYWORDS[token];
    if (i === 0 && keyword) {
      Object.assign(out, keyword);
      return;
    }
    if (token === '%SERVER_PRECEDENCE') {
      out.honorCipherOrder = true;
      return;
    }
    const sign = token[0];
    const name = token.slice(1);
    if ((sign === '+' || sign === '-' || sign === '!') && (name === 'VERS-ALL' || name === 'VERS-TLS-ALL')) {
      versionsTouched = true;
      if (sign === '+') for (const x of ORDER) versions.add(x);
      else versions.clear();
      return;
    }
    const version = GNUTLS_VERSION[name];
    if ((sign === '+' || sign === '-' || sign === '!') && version) {
      versionsTouched = true;
      if (sign === '+') versions.add(version);
      else versions.delete(version);
      return;
    }
    unmapped.push(raw);
  });
  if (!versionsTouched) return { ...out, unmapped };
  const enabled = ORDER.filter((x) => versions.has(x));
  if (enabled.length === 0) {
    unmapped.push('(no protocol version left enabled: versions unchanged)');
    return { ...out, unmapped };
  }
  const minVersion = enabled[0]!;
  const maxVersion = enabled[enabled.length - 1]!;
  const span = ORDER.indexOf(maxVersion) - ORDER.indexOf(minVersion) + 1;
  if (span !== enabled.length)
    unmapped.push(`(versions ${enabled.join(',')} have a gap: using the whole range)`);
  return { ...out, minVersion, maxVersion, unmapped };
}
