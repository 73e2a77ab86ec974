import { type ExternalStep, type LoginCredentials, startSasl, startSaslExternal } from '@courier-ts/authlib';
import { REPLY } from '../protocol/replies.js';
import type { AuthSession, LoginVerdict } from '../session/auth-phase.js';
import type { CommandOutcome, Pop3Command } from '../session/types.js';

// biome-ignore lint/suspicious/noExplicitAny: the account type is the server's business
type Cmd = Pop3Command<AuthSession<any>>;

const QUIT = {
  name: 'QUIT',
  async run(s) {
    s.log.info(`LOGOUT, ip=[${s.info.remoteIp}], port=[${s.info.remotePort}]`);
    await s.reply(REPLY.byeBeforeLogin);
    return 'end';
  },
} satisfies Cmd;

const CAPA = {
  name: 'CAPA',
  async run(s) {
    await s.capa();
    return 'continue';
  },
} satisfies Cmd;

const UTF8 = {
  name: 'UTF8',
  async run(s) {
    s.utf8 = true;
    await s.reply(REPLY.utf8);
    return 'continue';
  },
} satisfies Cmd;

const STLS = {
  name: 'STLS',
  async run(s) {
    if (!s.starttls) {
      await s.reply(REPLY.tlsUnavailable);
      return 'continue';
    }
    // A failed handshake leaves nothing usable: Courier's couriertls exits too.
    return (await s.startTls()) ? 'continue' : 'end';
  },
} satisfies Cmd;

const USER = {
  name: 'USER',
  async run(s, cmd) {
    if (s.deps.settings.tlsRequired && !s.tls) {
      await s.reply(REPLY.tlsRequired);
      return 'continue';
    }
    if (cmd.rest === undefined) {
      await s.reply(REPLY.invalidCommand);
      return 'continue';
    }
    s.user = cmd.rest;
    await s.reply(REPLY.passwordRequired);
    return 'continue';
  },
} satisfies Cmd;

function afterVerdict(v: LoginVerdict<unknown>): CommandOutcome {
  // Courier's login process exits after a temporary failure.
  return v.kind === 'tempfail' ? 'end' : 'continue';
}

/** AUTH's credential check and reply (the success reply is the session's greeting). */
async function authAttempt(s: AuthSession<unknown>, creds: LoginCredentials, method: string) {
  const v = await s.attempt(creds, { method });
  if (v.kind === 'rejected') await s.reply(REPLY.authFailed, 'AUTH');
  else if (v.kind === 'tempfail') await s.reply(REPLY.tempFail, 'SYS/TEMP');
  else if (v.kind === 'delayed') await s.reply(REPLY.loginDelay);
  return afterVerdict(v);
}

/**
 * AUTH EXTERNAL (Courier's auth_sasl_ex): only under TLS with a verified client certificate that has
 * the TLS_EXTERNAL field; the account is then looked up without a password. A wrong authorization
 * identity fails (after the delay); `*`, bad base64 or a non-empty answer to `+ ` abort.
 */
async function authExternal(s: AuthSession<unknown>, initial: string | undefined): Promise<CommandOutcome> {
  const method = 'EXTERNAL';
  const exchange = s.tls ? startSaslExternal(s.deps.external?.()) : undefined;
  let step: ExternalStep | undefined = exchange?.step(initial);
  if (exchange && step?.kind === 'challenge') {
    await s.reply(`+ ${step.data}`);
    const line = await s.readContinuation();
    if (line === undefined) return 'end';
    step = exchange.step(line);
  }
  if (step?.kind === 'external') return authAttempt(s, { mechanism: 'external', user: step.user }, method);
  s.logFailure({ method });
  if (step?.kind === 'abort') {
    await s.reply(REPLY.authAborted);
    return 'continue';
  }
  await s.failDelay();
  await s.reply(REPLY.authFailed, 'AUTH');
  return 'continue';
}

const PASS = {
  name: 'PASS',
  async run(s, cmd) {
    if (s.user === undefined || cmd.rest === undefined) {
      await s.reply(REPLY.userPassRequired);
      return 'continue';
    }
    const user = s.user;
    const v = await s.attempt({ mechanism: 'login', user, password: cmd.rest }, { user });
    if (v.kind === 'rejected') await s.reply(REPLY.loginFailed, 'AUTH');
    else if (v.kind === 'tempfail') await s.reply(REPLY.tempFail, 'SYS/TEMP');
    else if (v.kind === 'delayed') await s.reply(REPLY.loginDelay);
    return afterVerdict(v);
  },
} satisfies Cmd;

const AUTH = {
  name: 'AUTH',
  async run(s, cmd) {
    if (s.deps.settings.tlsRequired && !s.tls) {
      await s.reply(REPLY.tlsRequired);
      return 'continue';
    }
    const method = cmd.args[0]?.toUpperCase();
    if (method === undefined) {
      await s.reply(REPLY.invalidCommand);
      return 'continue';
    }
    if (method === 'EXTERNAL') return authExternal(s, cmd.args[1]);
    const exchange = startSasl(method, { hostname: s.deps.settings.hostname });
    if (!exchange) {
      s.logFailure({ method });
      await s.failDelay();
      await s.reply(REPLY.authFailed, 'AUTH');
      return 'continue';
    }
    let input: string | undefined = cmd.args[1];
    for (;;) {
      const step = exchange.step(input);
      if (step.kind === 'challenge') {
        await s.reply(`+ ${step.data}`);
        input = await s.readContinuation();
        if (input === undefined) return 'end';
        continue;
      }
      if (step.kind === 'abort' || step.kind === 'error') {
        s.logFailure({ method });
        await s.reply(REPLY.authAborted);
        return 'continue';
      }
      return authAttempt(s, step.credentials, method);
    }
  },
} satisfies Cmd;

/** AUTHORIZATION-state commands (USER PASS AUTH STLS CAPA UTF8 QUIT). APOP is not offered, as in Courier. */
export const AUTH_COMMANDS: readonly Cmd[] = [QUIT, CAPA, UTF8, STLS, USER, PASS, AUTH];
