import type { AuthRequest } from '../types.js';
import {
  type AuthModule,
  type ModulePasswordResult,
  type ModuleResult,
  NOT_FOUND,
  REJECTED,
} from './module.js';
import { enumerateSystem, findSystemAccount, type SystemModuleOptions } from './system-module.js';

/**
 * authpam: PAM service = the request's service (`imap`, `pop3`, `login`, or AUTHSERVICE<port>);
 * pam_authenticate + pam_acct_mgmt with PAM_RHOST from the remote ip, through the native addon
 * (libuv async work). Account data from getpwnam/getspnam.
 */
export function createAuthPam(opts: SystemModuleOptions): AuthModule {
  const log = opts.log.child({ module: 'authpam' });
  const find = async (user: string) => {
    const r = await findSystemAccount(opts, user, true).catch(() => findSystemAccount(opts, user, false));
    return r === 'expired' ? undefined : r;
  };
  return {
    name: 'authpam',
    async lookup(_service, userid) {
      const a = await find(userid);
      return a ? { kind: 'ok', account: a } : NOT_FOUND;
    },
    async authenticate(req: AuthRequest): Promise<ModuleResult> {
      const c = req.credentials;
      if (c.mechanism !== 'login') return NOT_FOUND;
      const r = await opts.passwords.pam(req.service, c.user, c.password, req.remoteIp);
      if (r === undefined) {
        log.warn('PAM unavailable: the native addon was not built (libpam0g-dev)');
        return { kind: 'tempfail', reason: 'PAM unavailable' };
      }
      if (r.code !== 0) {
        log.debug({ user: c.user, service: req.service, stage: r.stage, pam: r.message }, 'PAM refused');
        return r.stage === 0 ? { kind: 'tempfail', reason: `pam_start: ${r.message}` } : REJECTED;
      }
      const a = await find(c.user);
      if (!a) return REJECTED;
      return { kind: 'ok', account: { ...a, clearPassword: c.password } };
    },
    async changePassword(service, userid, oldPassword, newPassword): Promise<ModulePasswordResult> {
      if (!(await find(userid))) return 'notfound';
      const r = await opts.passwords.pamChangePassword(service, userid, oldPassword, newPassword);
      if (r === undefined) return 'tempfail';
      log.info({ user: userid, service, stage: r.stage, pam: r.message }, 'PAM password change');
      return r.code === 0 ? 'ok' : r.stage === 0 ? 'tempfail' : 'failed';
    },
    enumerate: () => enumerateSystem(opts, 'authpam'),
  };
}
