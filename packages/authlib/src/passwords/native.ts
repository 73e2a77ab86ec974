import { createRequire } from 'node:module';

/** The optional addon in packages/authlib/native (libxcrypt crypt_rn + PAM, run as libuv async work). */
export interface NativeAddon {
  crypt(password: Buffer, setting: string, cb: (err: Error | null, hash: string | null) => void): void;
  pamAuthenticate(
    service: string,
    user: string,
    password: Buffer,
    rhost: string | null,
    confdir: string | null,
    cb: (err: Error | null, code: number, stage: number) => void,
  ): void;
  pamStrerror(code: number): string;
  pamChangePassword(
    service: string,
    user: string,
    oldPassword: Buffer,
    newPassword: Buffer,
    confdir: string | null,
    cb: (err: Error | null, code: number, stage: number) => void,
  ): void;
  /** libxcrypt crypt_gensalt_rn(prefix, count, random): a setting, or null. */
  gensalt(prefix: string, count: number, random: Buffer): string | null;
}

/** Load the addon; undefined when it was not built (no libcrypt-dev/libpam0g-dev at install). */
export function loadNativeAddon(): NativeAddon | undefined {
  const require = createRequire(import.meta.url);
  for (const rel of [
    '../../native/build/Release/authlib_native.node',
    '../../native/build/Debug/authlib_native.node',
  ]) {
    try {
      return require(rel) as NativeAddon;
    } catch {
      // not built in this configuration
    }
  }
  return undefined;
}

export function nativeCrypt(
  addon: NativeAddon,
  password: Buffer,
  setting: string,
): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    addon.crypt(password, setting, (err, hash) => (err ? reject(err) : resolve(hash ?? undefined)));
  });
}

export interface PamResult {
  /** PAM return code (0 = PAM_SUCCESS). */
  readonly code: number;
  /** 0 pam_start, 1 pam_authenticate, 2 pam_acct_mgmt, 3 all passed. */
  readonly stage: number;
  readonly message: string;
}

export function nativePam(
  addon: NativeAddon,
  service: string,
  user: string,
  password: Buffer,
  rhost: string | undefined,
  confdir?: string,
): Promise<PamResult> {
  return new Promise((resolve, reject) => {
    addon.pamAuthenticate(service, user, password, rhost ?? null, confdir ?? null, (err, code, stage) =>
      err ? reject(err) : resolve({ code, stage, message: addon.pamStrerror(code) }),
    );
  });
}

/** pam_authenticate with the old password, then pam_chauthtok answering with the new one. */
export function nativePamChangePassword(
  addon: NativeAddon,
  service: string,
  user: string,
  oldPassword: Buffer,
  newPassword: Buffer,
  confdir?: string,
): Promise<PamResult> {
  return new Promise((resolve, reject) => {
    addon.pamChangePassword(service, user, oldPassword, newPassword, confdir ?? null, (err, code, stage) =>
      err ? reject(err) : resolve({ code, stage, message: addon.pamStrerror(code) }),
    );
  });
}
