/** STARTTLS, LOGIN, AUTHENTICATE (SASL from authlib, SASL-IR): the not-authenticated state. */
import { type Credentials, startSasl } from '@courier-ts/authlib';
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
  creds: Credentials,
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
    const exchange = startSasl(input.mechanism, { hostname: ctx.settings.hostname });
    if (!exchange) return no(LOGIN_FAILED);
    let step = exchange.step(input.initial);
    for (;;) {
      if (step.kind === 'challenge') {
        await ctx.continuation(step.data);
        const line = await ctx.readLine();
        if (line === undefined) return no(LOGIN_FAILED);
        step = exchange.step(line.toString('latin1'));
        continue;
      }
      if (step.kind === 'credentials') {
        return finish(ctx, step.credentials, { user: step.credentials.user });
      }
      return no(LOGIN_FAILED);
    }
  },
} satisfies ImapCommand<{ mechanism: string; initial: string | undefined }>;

export const LOGIN_COMMANDS = [starttlsCommand, loginCommand, authenticateCommand] as const;
