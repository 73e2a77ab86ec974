/** STARTTLS, LOGIN, AUTHENTICATE (SASL from authlib, SASL-IR, EXTERNAL): the not-authenticated state. */
import { type LoginCredentials, type SaslStep, startSasl, startSaslExternal } from '@courier-ts/authlib';
import { BadCommandError, InvalidCommandError } from '../errors.js';
import { ArgReader } from '../protocol/arg-reader.js';
import { type CommandContext, type CommandOutcome, type ImapCommand, no, ok } from '../session/command.js';
import { NOT_AUTHENTICATED } from '../session/state.js';

const LOGIN_FAILED = 'Login failed.';

function services(ctx: CommandContext) {
  const l = ctx.login;
  if (!l) throw new BadCommandError('no login services');
  return l;
}

async function finish(
  ctx: CommandContext,
  creds: LoginCredentials,
  who: { user: string } | { method: string },
): Promise<CommandOutcome> {
  const v = await services(ctx).verify(creds, who);
  if (v.kind !== 'ok') return no(LOGIN_FAILED);
  ctx.grantLogin(v.account);
  return ok('LOGIN Ok.');
}

function tlsRequired(ctx: CommandContext): boolean {
  return services(ctx).tlsRequired && !ctx.tls;
}

/** An exchange that ended before any lookup: LOGIN FAILED line and delay, then `NO Login failed.` */
async function refused(ctx: CommandContext, method: string): Promise<CommandOutcome> {
  await services(ctx).refuse?.({ method });
  return no(LOGIN_FAILED);
}

/** The client's next SASL line, after a `+ data` continuation; undefined at end of input. */
async function answer(ctx: CommandContext, data: string): Promise<string | undefined> {
  await ctx.continuation(data);
  const line = await ctx.readLine();
  return line?.toString('latin1');
}

/**
 * AUTHENTICATE EXTERNAL (Courier's auth_sasl_ex): only under TLS with a verified client certificate
 * that has the TLS_EXTERNAL field; the account is then looked up without a password.
 */
async function authenticateExternal(
  ctx: CommandContext,
  initial: string | undefined,
): Promise<CommandOutcome> {
  const method = 'EXTERNAL';
  const exchange = ctx.tls ? startSaslExternal(services(ctx).external?.()) : undefined;
  if (!exchange) return refused(ctx, method);
  let step = exchange.step(initial);
  if (step.kind === 'challenge') {
    const line = await answer(ctx, step.data);
    if (line === undefined) return no(LOGIN_FAILED);
    step = exchange.step(line);
  }
  if (step.kind !== 'external') return refused(ctx, method);
  return finish(ctx, { mechanism: 'external', user: step.user }, { method });
}

export const starttlsCommand = {
  name: 'STARTTLS',
  states: NOT_AUTHENTICATED,
  parse(args) {
    new ArgReader(args).end();
  },
  async run(ctx) {
    const l = services(ctx);
    if (!l.starttlsAvailable || ctx.tls) throw new BadCommandError('STARTTLS not available');
    return { ...ok('Begin SSL/TLS negotiation now.'), afterReply: async () => void (await ctx.startTls()) };
  },
} satisfies ImapCommand<void>;

export const loginCommand = {
  name: 'LOGIN',
  states: NOT_AUTHENTICATED,
  parse(args) {
    const r = new ArgReader(args);
    if (r.remaining < 2) throw new InvalidCommandError('LOGIN needs a user and a password');
    const user = r.astring('user');
    const password = r.astring('password');
    r.end();
    return { user, password };
  },
  async run(ctx, input) {
    if (tlsRequired(ctx)) return no('STARTTLS required');
    return finish(
      ctx,
      { mechanism: 'login', user: input.user, password: input.password },
      { user: input.user },
    );
  },
} satisfies ImapCommand<{ user: string; password: string }>;

export const authenticateCommand = {
  name: 'AUTHENTICATE',
  states: NOT_AUTHENTICATED,
  capabilities: ['SASL-IR'],
  parse(args) {
    const r = new ArgReader(args);
    if (r.remaining === 0) throw new InvalidCommandError('AUTHENTICATE needs a mechanism');
    const mechanism = r.atom('mechanism');
    const initial = r.remaining > 0 ? r.atom('initial response') : undefined;
    r.end();
    return { mechanism, initial };
  },
  async run(ctx, input) {
    if (tlsRequired(ctx)) return no('STARTTLS required');
    // Courier logs every failed AUTHENTICATE as `LOGIN FAILED, method=<MECHANISM>` and delays it.
    const method = input.mechanism.toUpperCase();
    if (method === 'EXTERNAL') return authenticateExternal(ctx, input.initial);
    const exchange = startSasl(method, { hostname: ctx.settings.hostname });
    if (!exchange) return refused(ctx, method);
    let step: SaslStep = exchange.step(input.initial);
    for (;;) {
      if (step.kind === 'challenge') {
        const line = await answer(ctx, step.data);
        if (line === undefined) return no(LOGIN_FAILED);
        step = exchange.step(line);
        continue;
      }
      if (step.kind === 'credentials') return finish(ctx, step.credentials, { method });
      return refused(ctx, method);
    }
  },
} satisfies ImapCommand<{ mechanism: string; initial: string | undefined }>;

export const LOGIN_COMMANDS = [starttlsCommand, loginCommand, authenticateCommand] as const;
