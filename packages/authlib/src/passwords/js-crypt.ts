import { createRequire } from 'node:module';
import bcrypt from 'bcryptjs';
import { md5Crypt } from './md5-crypt.js';
import { shaCrypt } from './sha-crypt.js';

const require = createRequire(import.meta.url);
const unixCrypt = require('unix-crypt-td-js') as (password: string, salt: string) => string;

const DES_SALT_RE = /^[./0-9A-Za-z]{2}/;

/** Which pure-JS implementation handles a crypt(3) setting, if any. */
export function jsCryptKind(setting: string): 'md5' | 'sha' | 'bcrypt' | 'des' | undefined {
  if (setting.startsWith('$1$')) return 'md5';
  if (setting.startsWith('$5$') || setting.startsWith('$6$')) return 'sha';
  if (/^\$2[aby]\$\d\d\$/.test(setting)) return 'bcrypt';
  if (DES_SALT_RE.test(setting) && (setting.length === 2 || setting.length === 13)) return 'des';
  return undefined;
}

/**
 * crypt(password, setting) in pure JS for `$1$`, `$5$`, `$6$`, `$2a/b/y$` and traditional DES.
 * CPU-heavy: call it from a worker thread. Undefined when the setting is not one of these.
 */
export function jsCrypt(password: Buffer, setting: string): string | undefined {
  switch (jsCryptKind(setting)) {
    case 'md5':
      return md5Crypt(password, setting);
    case 'sha':
      return shaCrypt(password, setting);
    case 'bcrypt':
      return bcrypt.hashSync(password.toString('utf8'), setting.slice(0, 29));
    case 'des':
      // crypt(3) stops at a NUL and uses 8 bytes; latin1 keeps each byte one char.
      return unixCrypt(password.toString('latin1'), setting.slice(0, 2));
    default:
      return undefined;
  }
}
