import { b64From24 } from './crypt-alphabet.js';
import { md5 } from './md5.js';

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

  const magic = Buffer.from(MAGIC, 'latin1');
  const alt = md5([password, saltBuf, password]);
  const parts: Uint8Array[] = [password, magic, saltBuf];
  for (let pl = password.length; pl > 0; pl -= 16) parts.push(alt.subarray(0, Math.min(16, pl)));
  const zero = new Uint8Array(1);
  for (let i = password.length; i; i >>= 1) parts.push(i & 1 ? zero : password.subarray(0, 1));
  let final = md5(parts);
  const round: Uint8Array[] = [];
  for (let i = 0; i < 1000; i++) {
    round.length = 0;
    round.push(i & 1 ? password : final);
    if (i % 3) round.push(saltBuf);
    if (i % 7) round.push(password);
    round.push(i & 1 ? final : password);
    final = md5(round);
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
