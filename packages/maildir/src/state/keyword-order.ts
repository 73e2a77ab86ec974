/** Courier's keyword ordering (maildirkeywords.c): 43 hash buckets, case-insensitive in imapd. */

const BUCKETS = 43;
/**
 * KEYWORD_IMAPVERBOTTEN in imapd.c, replaced by `_` (plus control characters, which would
 * break the one-keyword-per-line files).
 */
const FORBIDDEN = /[ (){%*"\\\]\x00-\x1f\x7f]/g;

export function sanitizeKeyword(name: string): string {
  return name.replace(FORBIDDEN, '_');
}

function strcmpBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function lowerAscii(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

export function keywordBucket(name: string): number {
  let h = 0;
  for (const byte of Buffer.from(lowerAscii(name), 'utf8')) {
    h = ((h << 1) ^ (h & 0x8000 ? 0x1301 : 0) ^ byte) >>> 0;
  }
  return (h & 0xffff) % BUCKETS;
}

/** Order of libmail_kwEnumerate: by bucket, then strcasecmp within the bucket. */
export function compareKeywordsForList(a: string, b: string): number {
  const ba = keywordBucket(a);
  const bb = keywordBucket(b);
  if (ba !== bb) return ba - bb;
  return strcmpBytes(lowerAscii(a), lowerAscii(b));
}

/** Order of a message's own keywords (libmail_kwmSet: strcmp). */
export function compareKeywordsForMessage(a: string, b: string): number {
  return strcmpBytes(a, b);
}
