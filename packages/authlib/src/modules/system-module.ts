import type { Logger } from 'pino';
import type { PasswordService } from '../passwords/service.js';
import type { AuthRequest, EnumeratedAccount } from '../types.js';
import { type AuthModule, type ModuleAccount, type ModuleResult, NOT_FOUND, REJECTED } from './module.js';
import {
  gecosName,
  getpwentAll,
  getpwnam,
  getspnam,
  type PasswdEntry,
  type SystemFiles,
  shadowExpired,
} from './system-accounts.js';

export interface SystemModuleOptions extends SystemFiles {
  readonly passwords: PasswordService;
  readonly log: Logger;
}

/** USERNAME=ADDRESS=user, GID, HOME, NAME=gecos, PASSWD=pw (uid resolved from the same entry). */
export function systemAccount(pw: PasswdEntry, encrypted: string | undefined): ModuleAccount {
  const name = gecosName(pw.gecos);
  return {
    address: pw.name,
    systemUser: pw.name,
    uid: pw.uid,
    gid: pw.gid,
    home: pw.home,
    ...(name !== undefined && { fullName: name }),
    ...(encrypted !== undefined && encrypted !== '' && { encryptedPassword: encrypted }),
  };
}

/** getpwent entries with uid >= 100, as the system modules enumerate. */
export async function* enumerateSystem(files: SystemFiles, module: string): AsyncIterable<EnumeratedAccount> {
  for (const pw of await getpwentAll(files)) {
    if (pw.uid < 100) continue;
    yield { module, name: pw.name, uid: pw.uid, gid: pw.gid, home: pw.home };
  }
}

/** Look up a system account; `useShadow` applies /etc/shadow's password and expiry. */
export async function findSystemAccount(
  files: SystemFiles,
  user: string,
  useShadow: boolean,
): Promise<ModuleAccount | 'expired' | undefined> {
  const pw = await getpwnam(files, user);
  if (!pw) return undefined;
  if (!useShadow) return systemAccount(pw, pw.passwd);
  const sp = await getspnam(files, user);
  if (sp && shadowExpired(sp, (files.now ?? Date.now)())) return 'expired';
  return systemAccount(pw, sp?.passwd ?? pw.passwd);
}

/** authpwd (passwd only) and authshadow (passwd + shadow, with expiry), login mechanism only. */
export function createPasswdModule(name: 'authpwd' | 'authshadow', opts: SystemModuleOptions): AuthModule {
  const useShadow = name === 'authshadow';
  const log = opts.log.child({ module: name });
  const find = async (user: string): Promise<ModuleAccount | undefined> => {
    const r = await findSystemAccount(opts, user, useShadow);
    if (r === 'expired') {
      log.info({ user }, 'account or password expired');
      return undefined;
    }
    return r;
  };
  return {
    name,
    async lookup(_service, userid) {
      const a = await find(userid);
      return a ? { kind: 'ok', account: a } : NOT_FOUND;
    },
    async authenticate(req: AuthRequest): Promise<ModuleResult> {
      const c = req.credentials;
      if (c.mechanism !== 'login') return NOT_FOUND;
      const a = await find(c.user);
      if (!a) return NOT_FOUND;
      if (a.encryptedPassword === undefined) return REJECTED;
      const ok = await opts.passwords.verify(c.password, a.encryptedPassword);
      return ok ? { kind: 'ok', account: { ...a, clearPassword: c.password } } : REJECTED;
    },
    enumerate: () => enumerateSystem(opts, name),
  };
}
