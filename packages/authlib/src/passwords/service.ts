import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { Logger } from 'pino';
import { UnsupportedSchemeError } from '../errors.js';
import { constantTimeEqual } from './compare.js';
import { randomCryptSalt } from './crypt-alphabet.js';
import { DIGEST_SCHEMES, type DigestScheme, digestExpected, digestHash } from './digest-schemes.js';
import { hmacFromPrecomputed, hmacPrecompute, type StateHash } from './hash-state.js';
import { jsCryptKind } from './js-crypt.js';
import {
  loadNativeAddon,
  type NativeAddon,
  nativeCrypt,
  nativePam,
  nativePamChangePassword,
  type PamResult,
} from './native.js';
import type { HashScheme } from './schemes.js';
import { createCryptPool } from './worker-pool.js';

export interface PasswordService {
  /** Courier's authcheckpassword(clear, stored), off the event loop for the crypt schemes. */
  verify(clear: string, stored: string): Promise<boolean>;
  /** Hash `clear` with `scheme` (random salt). Throws UnsupportedSchemeError (yescrypt without addon). */
  hash(scheme: HashScheme, clear: string): Promise<string>;
  /** Courier's precomputed HMAC secret (`hmac-md5pw` value). */
  hmacSecret(hash: StateHash, clear: string): string;
  /** CRAM check: expected hex digest from a clear password or a precomputed secret. */
  cramDigest(
    hash: StateHash,
    challenge: string,
    secret: { clear?: string; precomputed?: string },
  ): string | undefined;
  /** PAM conversation (pam_authenticate + pam_acct_mgmt); undefined when the addon is missing. */
  pam(service: string, user: string, password: string, rhost?: string): Promise<PamResult | undefined>;
  /** PAM password change (pam_authenticate old, then pam_chauthtok); undefined without the addon. */
  pamChangePassword(
    service: string,
    user: string,
    oldPassword: string,
    newPassword: string,
  ): Promise<PamResult | undefined>;
  /** Whether the libxcrypt/PAM addon is loaded. */
  readonly native: boolean;
  close(): Promise<void>;
}

export interface PasswordServiceOptions {
  readonly log: Logger;
  readonly random?: (n: number) => Buffer;
  /** Use the native addon when it is built (default true). */
  readonly useNative?: boolean;
  /** Worker threads for the pure-JS crypt schemes. */
  readonly poolSize?: number;
  /** At most this many blocking native calls (crypt, PAM) hold libuv pool threads at once. */
  readonly nativeConcurrency?: number;
  /** A private PAM configuration directory (pam_start_confdir) instead of /etc/pam.d. */
  readonly pamConfDir?: string;
}

/** A tiny semaphore: FIFO queue, `limit` holders. */
function createLimiter(limit: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((r) => queue.push(r));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}

export function createPasswordService(opts: PasswordServiceOptions): PasswordService {
  const random = opts.random ?? randomBytes;
  const addon: NativeAddon | undefined = opts.useNative === false ? undefined : loadNativeAddon();
  // Leave a core to the event loop: on 2 cores, one hashing thread at a time.
  const spare = Math.max(1, Math.min(4, availableParallelism() - 1));
  const pool = createCryptPool(opts.poolSize ?? spare);
  const limit = createLimiter(opts.nativeConcurrency ?? Math.min(2, spare));
  const log = opts.log;

  const crypt = async (clear: string, setting: string): Promise<string | undefined> => {
    const pw = Buffer.from(clear, 'utf8');
    const kind = jsCryptKind(setting);
    // libxcrypt gives the same strings 2-5x faster for SHA-crypt and bcrypt (measured: $6$ 4 ms
    // native vs 23 ms JS); MD5-crypt and DES stay in JS, where they cost under a millisecond.
    if (addon && (kind === undefined || kind === 'sha' || kind === 'bcrypt')) {
      return limit(() => nativeCrypt(addon, pw, setting));
    }
    if (kind !== undefined) return pool.crypt(pw, setting);
    return undefined;
  };

  const verify = async (clear: string, stored: string): Promise<boolean> => {
    if (stored === '' || clear.includes('\0')) return false;
    const digest = digestExpected(stored, Buffer.from(clear, 'utf8'));
    if (digest !== undefined) return constantTimeEqual(digest, stored);
    const setting = /^\{crypt\}/i.test(stored) ? stored.slice(7) : stored;
    if (setting === '' || /^[!*]/.test(setting)) return false;
    const computed = await crypt(clear, setting);
    if (computed === undefined) {
      log.warn({ scheme: setting.slice(0, 4) }, 'password scheme not supported by this build');
      return false;
    }
    return constantTimeEqual(computed, setting);
  };

  const hash = async (scheme: HashScheme, clear: string): Promise<string> => {
    if ((DIGEST_SCHEMES as readonly string[]).includes(scheme)) {
      return digestHash(scheme as DigestScheme, Buffer.from(clear, 'utf8'), random(4));
    }
    let setting: string;
    switch (scheme) {
      case 'des':
        setting = randomCryptSalt(2, random);
        break;
      case 'md5-crypt':
        setting = `$1$${randomCryptSalt(8, random)}$`;
        break;
      case 'sha256-crypt':
        setting = `$5$${randomCryptSalt(16, random)}$`;
        break;
      case 'sha512-crypt':
        setting = `$6$${randomCryptSalt(16, random)}$`;
        break;
      case 'bcrypt':
        setting = `$2b$10$${bcryptSalt(random(16))}`;
        break;
      default: {
        // yescrypt: libxcrypt's default cost (`$y$j9T$` + 16 salt chars).
        if (!addon) throw new UnsupportedSchemeError('yescrypt needs the native addon (libcrypt-dev)');
        const g = addon.gensalt('$y$', 0, random(16));
        if (g === null) throw new UnsupportedSchemeError('libcrypt cannot make a yescrypt salt');
        setting = g;
      }
    }
    const out = await crypt(clear, setting);
    if (out === undefined) throw new UnsupportedSchemeError(`cannot hash with ${scheme}`);
    return out;
  };

  return {
    native: addon !== undefined,
    verify,
    hash,
    hmacSecret: (h, clear) => hmacPrecompute(h, Buffer.from(clear, 'utf8')),
    cramDigest(h, challenge, secret) {
      const msg = Buffer.from(challenge, 'latin1');
      const pre =
        secret.precomputed !== undefined
          ? secret.precomputed
          : secret.clear !== undefined
            ? hmacPrecompute(h, Buffer.from(secret.clear, 'utf8'))
            : undefined;
      if (pre === undefined) return undefined;
      return hmacFromPrecomputed(h, pre, msg)?.toString('hex');
    },
    async pam(service, user, password, rhost) {
      if (!addon) return undefined;
      return limit(() =>
        nativePam(addon, service, user, Buffer.from(password, 'utf8'), rhost, opts.pamConfDir),
      );
    },
    async pamChangePassword(service, user, oldPassword, newPassword) {
      if (!addon) return undefined;
      const [o, n] = [Buffer.from(oldPassword, 'utf8'), Buffer.from(newPassword, 'utf8')];
      return limit(() => nativePamChangePassword(addon, service, user, o, n, opts.pamConfDir));
    },
    close: () => pool.close(),
  };
}

const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** bcrypt's own base-64 of 16 salt bytes (22 chars). */
function bcryptSalt(bytes: Buffer): string {
  let out = '';
  let i = 0;
  while (i < 16) {
    const c1 = bytes[i++]!;
    out += BCRYPT_ALPHABET[(c1 >> 2) & 0x3f];
    let c = (c1 & 0x03) << 4;
    if (i >= 16) {
      out += BCRYPT_ALPHABET[c & 0x3f];
      break;
    }
    const c2 = bytes[i++]!;
    c |= (c2 >> 4) & 0x0f;
    out += BCRYPT_ALPHABET[c & 0x3f];
    c = (c2 & 0x0f) << 2;
    const c3 = bytes[i++]!;
    c |= (c3 >> 6) & 0x03;
    out += BCRYPT_ALPHABET[c & 0x3f];
    out += BCRYPT_ALPHABET[c3 & 0x3f];
  }
  return out;
}
