import { createHash } from 'node:crypto';
import { b64From24 } from './crypt-alphabet.js';

export const SHA_CRYPT_ROUNDS_DEFAULT = 5000;
const ROUNDS_MIN = 1000;
const ROUNDS_MAX = 999_999_999;

type Algo = 'sha256' | 'sha512';

function repeatBytes(src: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i += src.length) src.copy(out, i, 0, Math.min(src.length, length - i));
  return out;
}

// Byte permutations for the final encoding, from Ulrich Drepper's specification.
const ORDER_256: readonly (readonly [number, number, number, number])[] = [
  [0, 10, 20, 4],
  [21, 1, 11, 4],
  [12, 22, 2, 4],
  [3, 13, 23, 4],
  [24, 4, 14, 4],
  [15, 25, 5, 4],
  [6, 16, 26, 4],
  [27, 7, 17, 4],
  [18, 28, 8, 4],
  [9, 19, 29, 4],
];
const ORDER_512: readonly (readonly [number, number, number, number])[] = [
  [0, 21, 42, 4],
  [22, 43, 1, 4],
  [44, 2, 23, 4],
  [3, 24, 45, 4],
  [25, 46, 4, 4],
  [47, 5, 26, 4],
  [6, 27, 48, 4],
  [28, 49, 7, 4],
  [50, 8, 29, 4],
  [9, 30, 51, 4],
  [31, 52, 10, 4],
  [53, 11, 32, 4],
  [12, 33, 54, 4],
  [34, 55, 13, 4],
  [56, 14, 35, 4],
  [15, 36, 57, 4],
  [37, 58, 16, 4],
  [59, 17, 38, 4],
  [18, 39, 60, 4],
  [40, 61, 19, 4],
  [62, 20, 41, 4],
];

/**
 * SHA-crypt (`$5$` / `$6$`), per "Unix crypt using SHA-256 and SHA-512" (Drepper, 2007/2008).
 * `setting` is the stored hash or `$5$[rounds=N$]salt`.
 */
export function shaCrypt(password: Buffer, setting: string): string | undefined {
  const m = /^\$([56])\$(?:rounds=(\d+)\$)?([^$]*)/.exec(setting);
  if (!m) return undefined;
  const algo: Algo = m[1] === '5' ? 'sha256' : 'sha512';
  let rounds = SHA_CRYPT_ROUNDS_DEFAULT;
  const customRounds = m[2] !== undefined;
  if (customRounds) rounds = Math.min(ROUNDS_MAX, Math.max(ROUNDS_MIN, Number.parseInt(m[2]!, 10)));
  const salt = Buffer.from(m[3]!.slice(0, 16), 'latin1');

  const b = createHash(algo).update(password).update(salt).update(password).digest();
  const a = createHash(algo).update(password).update(salt);
  a.update(repeatBytes(b, password.length));
  for (let i = password.length; i > 0; i >>= 1) a.update(i & 1 ? b : password);
  let ad = a.digest();

  const dp = createHash(algo);
  for (let i = 0; i < password.length; i++) dp.update(password);
  const p = repeatBytes(dp.digest(), password.length);

  const ds = createHash(algo);
  for (let i = 0; i < 16 + ad[0]!; i++) ds.update(salt);
  const s = repeatBytes(ds.digest(), salt.length);

  for (let r = 0; r < rounds; r++) {
    const c = createHash(algo);
    c.update(r & 1 ? p : ad);
    if (r % 3) c.update(s);
    if (r % 7) c.update(p);
    c.update(r & 1 ? ad : p);
    ad = c.digest();
  }

  let enc = '';
  const order = algo === 'sha256' ? ORDER_256 : ORDER_512;
  for (const [x, y, z, n] of order) enc += b64From24(ad[x]!, ad[y]!, ad[z]!, n);
  enc += algo === 'sha256' ? b64From24(0, ad[31]!, ad[30]!, 3) : b64From24(0, 0, ad[63]!, 2);
  const prefix = `$${m[1]}$${customRounds ? `rounds=${rounds}$` : ''}`;
  return `${prefix}${salt.toString('latin1')}$${enc}`;
}
