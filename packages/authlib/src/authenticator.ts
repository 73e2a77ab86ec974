import type { Logger } from 'pino';
import type { AuthModule, ModuleAccount, ModuleResult } from './modules/module.js';
import { createModule } from './modules/registry.js';
import { mergeOptions, parseAccountOptions } from './options.js';
import { createPasswordService, type PasswordService } from './passwords/service.js';
import { type AuthdaemonSettings, authdaemonSocketPath, loadAuthdaemonSettings } from './settings.js';
import type {
  AuthAccount,
  Authenticator,
  AuthOutcome,
  AuthRequest,
  CreateAuthenticatorOptions,
  EnumeratedAccount,
  PasswordChangeResult,
} from './types.js';

/** Build a chain from already-created modules (used by createAuthenticator and by tests). */
export function createAuthenticatorFromModules(
  modules: readonly AuthModule[],
  opts: { readonly defaultOptions: string; readonly log: Logger; readonly onClose?: () => Promise<void> },
): Authenticator {
  const log = opts.log;
  const finish = (m: AuthModule, a: ModuleAccount): AuthOutcome => {
    const account: AuthAccount = {
      ...a,
      options: parseAccountOptions(mergeOptions(a.options, opts.defaultOptions)),
    };
    return { kind: 'ok', account, module: m.name };
  };
  const run = async (
    op: string,
    userid: string,
    call: (m: AuthModule) => Promise<ModuleResult>,
    only?: string,
  ): Promise<AuthOutcome> => {
    for (const m of modules) {
      if (only !== undefined && only !== '.' && m.name !== only) continue;
      let r: ModuleResult;
      try {
        r = await call(m);
      } catch (err) {
        log.error({ err, module: m.name, op }, 'authentication module failed');
        r = { kind: 'tempfail', reason: 'internal error' };
      }
      if (r.kind === 'ok') return finish(m, r.account);
      if (r.kind === 'tempfail') {
        log.warn({ module: m.name, op, user: userid, reason: r.reason }, 'temporary authentication failure');
        return { kind: 'tempfail', reason: r.reason };
      }
      log.debug({ module: m.name, op, user: userid, result: r.kind }, 'module did not accept');
    }
    return { kind: 'rejected' };
  };
  return {
    modules: modules.map((m) => m.name),
    enumeratingModules: modules.filter((m) => m.enumerate !== undefined).map((m) => m.name),
    authenticate(req: AuthRequest) {
      return run('auth', req.credentials.user, (m) => m.authenticate(req));
    },
    lookup(service: string, userid: string, only?: string) {
      return run('pre', userid, (m) => m.lookup(service, userid), only);
    },
    async changePassword(service, userid, oldPassword, newPassword): Promise<PasswordChangeResult> {
      for (const m of modules) {
        if (!m.changePassword) continue;
        let r: string;
        try {
          r = await m.changePassword(service, userid, oldPassword, newPassword);
        } catch (err) {
          log.error({ err, module: m.name, op: 'passwd' }, 'password change failed');
          return 'tempfail';
        }
        if (r === 'ok') return 'ok';
        if (r === 'tempfail') return 'tempfail';
      }
      return 'failed';
    },
    enumerate(): AsyncIterable<EnumeratedAccount> {
      return (async function* () {
        for (const m of modules) if (m.enumerate) yield* m.enumerate();
      })();
    },
    async close() {
      for (const m of modules) await m.close?.();
      await opts.onClose?.();
    },
  };
}

export interface ChainContext {
  readonly settings: AuthdaemonSettings;
  readonly options: CreateAuthenticatorOptions;
  readonly passwords: PasswordService;
  readonly log: Logger;
  readonly authdaemonSocket: string;
}

/** Read `<configDir>/authdaemonrc` and chain its authmodulelist (or `opts.modules`) in order. */
export async function createAuthenticator(opts: CreateAuthenticatorOptions): Promise<Authenticator> {
  const settings = await loadAuthdaemonSettings(opts.configDir, opts.env);
  const passwords = createPasswordService({
    log: opts.log,
    ...(opts.pamConfDir !== undefined && { pamConfDir: opts.pamConfDir }),
    ...(opts.native === false && { useNative: false }),
  });
  const ctx: ChainContext = {
    settings,
    options: opts,
    passwords,
    log: opts.log,
    authdaemonSocket: opts.authdaemonSocket ?? authdaemonSocketPath(opts.env),
  };
  const modules: AuthModule[] = [];
  for (const name of opts.modules ?? settings.authmodulelist) {
    const m = createModule(name, ctx);
    if (m) modules.push(m);
    else opts.log.warn({ module: name }, 'authentication module not available in courier-ts; skipped');
  }
  return createAuthenticatorFromModules(modules, {
    defaultOptions: settings.defaultOptions,
    log: opts.log,
    onClose: () => passwords.close(),
  });
}
