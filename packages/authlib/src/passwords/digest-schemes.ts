import { createHash } from 'node:crypto';

/** The `{SCHEME}` prefixes Courier recognises (case-insensitive), as checked by authcheckpassword. */
export const DIGEST_SCHEMES = ['MD5', 'MD5RAW', 'SHA', 'SHA256', 'SHA512', 'SSHA'] as const;
export type DigestScheme = (typeof DIGEST_SCHEMES)[number];

const HASH_OF: Record<Exclude<DigestScheme, 'SSHA'>, string> = {
  MD5: 'md5',
  MD5RAW: 'md5',
  SHA: 'sha1',
  SHA256: 'sha256',
  SHA512: 'sha512',
};

/** `{MD5}abc...` → { scheme: 'MD5', data }, for any of the digest schemes (prefix case-insensitive). */
export function parseDigestPrefix(stored: string): { scheme: DigestScheme; data: string } | undefined {
  const m = /^\{([A-Za-z0-9]+)\}/.exec(stored);
  if (!m) return undefined;
  const scheme = m[1]!.toUpperCase() as DigestScheme;
  if (!DIGEST_SCHEMES.includes(scheme)) return undefined;
  return { scheme, data: stored.slice(m[0].length) };
}

/** Produce `{SCHEME}...` for a clear password; `salt` only for SSHA (4 bytes in Courier). */
export function digestHash(scheme: DigestScheme, clear: Buffer, salt?: Buffer): string {
  if (scheme === 'SSHA') {
    const s = salt ?? Buffer.alloc(4);
    const d = createHash('sha1').update(clear).update(s).digest();
    return `{SSHA}${Buffer.concat([d, s]).toString('base64')}`;
  }
  const d = createHash(HASH_OF[scheme]).update(clear).digest();
  return `{${scheme}}${scheme === 'MD5RAW' ? d.toString('hex') : d.toString('base64')}`;
}

/**
 * Compute what the stored `{SCHEME}data` would be for `clear`, keeping the stored text's own prefix
 * spelling, so the caller compares the two strings (as Courier's plain string compare does).
 */
export function digestExpected(stored: string, clear: Buffer): string | undefined {
  const p = parseDigestPrefix(stored);
  if (!p) return undefined;
  const prefix = stored.slice(0, stored.length - p.data.length);
  if (p.scheme === 'SSHA') {
    const raw = Buffer.from(p.data, 'base64');
    if (raw.length < 4) return undefined;
    const salt = raw.subarray(raw.length - 4);
    return prefix + digestHash('SSHA', clear, salt).slice('{SSHA}'.length);
  }
  return prefix + digestHash(p.scheme, clear).slice(p.scheme.length + 2);
}
