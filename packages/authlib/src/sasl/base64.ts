/** SASL's base64, decoded as courier-authlib's authsasl_frombase64() decodes it. */

const BASE64_ALPHABET = /[A-Za-z0-9+/]/;

/**
 * authsasl_frombase64, rule for rule: the base64 run, then `=` padding, a length that is a multiple
 * of 4 (so unpadded base64 is refused), and at most two stray bytes after the run (ignored).
 * Undefined where Courier returns -1 (which aborts the exchange).
 */
export function courierFromBase64(text: string): Buffer | undefined {
  let j = 0;
  while (j < text.length && BASE64_ALPHABET.test(text[j]!)) j++;
  if (text.length - j >= 3) return undefined;
  while (text[j] === '=') j++;
  if (j % 4 !== 0) return undefined;
  return Buffer.from(text.slice(0, j), 'base64');
}
