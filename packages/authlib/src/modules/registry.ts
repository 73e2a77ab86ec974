import { join } from 'node:path';
import type { ChainContext } from '../authenticator.js';
import { createAuthdaemonClientModule } from '../daemon/client-module.js';
import { createAuthPam } from './authpam.js';
import { createAuthUserdb } from './authuserdb.js';
import type { AuthModule } from './module.js';
import { DEFAULT_PASSWD_FILE, DEFAULT_SHADOW_FILE } from './system-accounts.js';
import { createPasswdModule } from './system-module.js';

/** Module names courier-ts implements. */
export const AVAILABLE_MODULES = ['authuserdb', 'authpwd', 'authshadow', 'authpam', 'authdaemon'] as const;

/** Create the module called `name` (Courier's authmodulelist word), or undefined if unknown. */
export function createModule(name: string, ctx: ChainContext): AuthModule | undefined {
  const o = ctx.options;
  const system = {
    passwdFile: o.passwdFile ?? DEFAULT_PASSWD_FILE,
    shadowFile: o.shadowFile ?? DEFAULT_SHADOW_FILE,
    passwords: ctx.passwords,
    log: ctx.log,
  };
  switch (name) {
    case 'authuserdb':
      return createAuthUserdb({
        path: o.userdbPath ?? join(o.configDir, 'userdb'),
        passwords: ctx.passwords,
        log: ctx.log,
      });
    case 'authpwd':
    case 'authshadow':
      return createPasswdModule(name, system);
    case 'authpam':
      return createAuthPam(system);
    case 'authdaemon':
      return createAuthdaemonClientModule({ socketPath: ctx.authdaemonSocket, env: o.env, log: ctx.log });
    default:
      return undefined;
  }
}
