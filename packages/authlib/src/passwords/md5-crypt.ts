import { createHash } from 'node:crypto';
import { b64From24 } from './crypt-alphabet.js';

const MAGIC = '$1$';

/**
 * Poul-Henning Kamp's MD5-crypt (`$1$salt$hash`), as in FreeBSD, glibc and Courier's md5/md5_crypt.c.
 * `setting` is the stored hash or `$1$salt`; the salt is at most 8 characters, up to the next `$`.
 */
export function md5Crypt(password: Buffer, setting: string): string {
  let salt = setting.startsWith(MAGIC) ? setting.slice(MAGIC.length) : setting;
  const dollar = salt.indexOf('$');
  if (dollar >= 0) salt = salt.slice(0, dollar);
  salt = salt.slice(0, 8);
  const saltBuf = Buffer.from(salt, 'latin1');

  const alt = createHash('md5').update(password).update(saltBuf).update(password).digest();
  const ctx = createHash('md5').update(password).update(MAGIC).update(saltBuf);
  for (let pl = password.length; pl > 0; pl -= 16) ctx.update(alt.subarray(0, Math.min(16, pl)));
  for (let i = password.length; i; i >>= 1) {
    ctx.update(i & 1 ? Buffer.alloc(1) : password.subarray(0, 1));
  }
  let final = ctx.digest();
  for (let i = 0; i < 1000; i++) {
    const c = createHash('md5');
    c.update(i & 1 ? password : final);
    if (i % 3) c.update(saltBuf);
    if (i % 7) c.update(password);
    c.update(i & 1 ? final : password);
    final = c.digest();
  }
  const f = final;
  const enc =
    b64From24(f[0]!, f[6]!, f[12]!, 4) +
    b64From24(f[1]!, f[7]!, f[13]!, 4) +
    b64From24(f[2]!, f[8]!, f[14]!, 4) +
    b64From24(f[3]!, f[9]!, f[15]!, 4) +
    b64From24(f[4]!, f[10]!, f[5]!, 4) +
    b64From24(0, 0, f[11]!, 2);
  return `${MAGIC}${salt}$${enc}`;
}
