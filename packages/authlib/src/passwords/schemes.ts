import { parseDigestPrefix } from './digest-schemes.js';

/** Password schemes courier-ts can produce (userdbpw, password change). */
export const HASH_SCHEMES = [
  'des',
  'md5-crypt',
  'sha256-crypt',
  'sha512-crypt',
  'bcrypt',
  'yescrypt',
  'MD5',
  'MD5RAW',
  'SHA',
  'SHA256',
  'SHA512',
  'SSHA',
] as const;
export type HashScheme = (typeof HASH_SCHEMES)[number];

/** A human name for the scheme of a stored hash (never the hash itself), for logs and reports. */
export function describeStoredScheme(stored: string): string {
  const d = parseDigestPrefix(stored);
  if (d) return `{${d.scheme}}`;
  if (/^\{crypt\}/i.test(stored)) return `{CRYPT}${describeStoredScheme(stored.slice(7))}`;
  const m = /^\$([^$]+)\$/.exec(stored);
  if (m) return `$${m[1]}$`;
  if (stored === '') return 'empty';
  if (/^[!*]/.test(stored)) return 'locked';
  return stored.length === 13 ? 'des' : 'unknown';
}

/**
 * Courier's rule for the new hash on a password change: keep the old scheme for `$1$`, `{MD5}`,
 * `{MD5RAW}`, `{SHA}`, `{SSHA}`, `{SHA256}`, `{SHA512}`; any other old scheme → `{SSHA}`; no old
 * hash → `{SHA512}`.
 */
export function schemeForPasswordChange(oldStored: string | undefined): HashScheme {
  if (oldStored === undefined || oldStored === '') return 'SHA512';
  if (oldStored.startsWith('$1$')) return 'md5-crypt';
  const d = parseDigestPrefix(oldStored);
  if (d) return d.scheme;
  return 'SSHA';
}
