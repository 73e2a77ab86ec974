/** The crypt(3) base-64 alphabet (`./0-9A-Za-z`), used by MD5-crypt, SHA-crypt and DES. */
export const CRYPT_ALPHABET = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Encode `n` chars of the 24-bit value b2:b1:b0, least significant 6 bits first. */
export function b64From24(b2: number, b1: number, b0: number, n: number): string {
  let w = (b2 << 16) | (b1 << 8) | b0;
  let out = '';
  for (let i = 0; i < n; i++) {
    out += CRYPT_ALPHABET[w & 0x3f];
    w >>>= 6;
  }
  return out;
}

/** A random salt of `length` crypt-alphabet characters. */
export function randomCryptSalt(length: number, random: (n: number) => Buffer): string {
  const bytes = random(length);
  let s = '';
  for (let i = 0; i < length; i++) s += CRYPT_ALPHABET[bytes[i]! & 0x3f];
  return s;
}
