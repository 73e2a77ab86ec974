import { createAuthenticator } from '../authenticator.js';
import { callAuthdaemon, resolveClientTimeouts } from '../daemon/client.js';
import {
  accountToReplyFields,
  buildAuthRequest,
  buildPasswdRequest,
  buildPreRequest,
  parseReply,
  type ReplyFields,
  replyComplete,
} from '../daemon/protocol.js';
import { applyDefDomain, authdaemonSocketPath } from '../settings.js';
import type { AuthOutcome, PasswordChangeResult } from '../types.js';
import { cliLogger, describeConfigError, hasControlChars, takeOwnOptions } from './common.js';

export const AUTHTEST_USAGE = 'Usage: authtest [-s service] userid [ password [ newpassword ] ]\n';

const EPERM = 'Operation not permitted';
const EIO = 'Input/output error';
const EINVAL = 'Invalid argument';

export type AuthtestArgs =
  | { readonly kind: 'usage' }
  | { readonly kind: 'run'; readonly service: string; readonly positional: readonly string[] };

/** Courier's own option loop: `-s svc`, `-ssvc`, `-` ends the options; anything else → usage. */
export function parseAuthtestArgs(args: readonly string[]): AuthtestArgs {
  let service = 'login';
  let i = 0;
  while (i < args.length && args[i]!.startsWith('-')) {
    const a = args[i]!;
    if (a === '-') {
      i++;
      break;
    }
    if (a[1] === 's') {
      if (a.length > 2) service = a.slice(2);
      else if (i + 1 < args.length) service = args[++i]!;
      else return { kind: 'usage' };
      i++;
      continue;
    }
    return { kind: 'usage' };
  }
  const positional = args.slice(i);
  if (positional.length === 0) return { kind: 'usage' };
  return { kind: 'run', service, positional };
}

const label = (l: string): string => l.padStart(18);

/** The success block exactly as Courier prints it. */
export function formatAuthtestSuccess(f: ReplyFields): string {
  const v = (k: Parameters<ReplyFields['get']>[0]): string => f.get(k) ?? '(none)';
  let who: string;
  if (f.has('USERNAME')) who = `(system username: ${f.get('USERNAME')})`;
  else if (f.has('UID')) who = `(uid ${f.get('UID')}, gid ${f.get('GID') ?? ''})`;
  else who = '(*** UID/GID initialization error***)';
  return [
    'Authentication succeeded.',
    '',
    `${label('Authenticated')}: ${v('ADDRESS')}  ${who}`,
    `${label('Home Directory')}: ${v('HOME')}`,
    `${label('Maildir')}: ${v('MAILDIR')}`,
    `${label('Quota')}: ${v('QUOTA')}`,
    `${label('Encrypted Password')}: ${v('PASSWD')}`,
    `${label('Cleartext Password')}: ${v('PASSWD2')}`,
    `${label('Options')}: ${v('OPTIONS')}`,
    '',
  ].join('\n');
}

type Answer =
  | { kind: 'fields'; fields: ReplyFields }
  | { kind: 'passwd-ok' }
  | { kind: 'error'; errno: string };

function outcomeToAnswer(o: AuthOutcome): Answer {
  if (o.kind === 'ok') return { kind: 'fields', fields: accountToReplyFields(o.account) };
  return { kind: 'error', errno: o.kind === 'rejected' ? EPERM : EIO };
}

function passwdToAnswer(r: PasswordChangeResult): Answer {
  if (r === 'ok') return { kind: 'passwd-ok' };
  return { kind: 'error', errno: r === 'failed' ? EPERM : EIO };
}

/** `authtest [--config-dir DIR] [--verbose] [-s service] userid [password [newpassword]]`. */
export async function authtestMain(args: string[], _programName: string): Promise<number> {
  const env = process.env;
  const own = takeOwnOptions(args, env);
  const parsed = parseAuthtestArgs(own.rest);
  if (parsed.kind === 'usage') {
    process.stderr.write(AUTHTEST_USAGE);
    return 1;
  }
  const log = cliLogger(own.verbose, 'authtest');
  const { service, positional } = parsed;
  const [userid, password, newpassword] = positional as [string, string | undefined, string | undefined];
  const remoteIp = env.TCPREMOTEIP || '::1';
  const authUser = applyDefDomain(userid, env);

  let answer: Answer | undefined;
  if (
    (password !== undefined && (hasControlChars(authUser) || hasControlChars(password))) ||
    (newpassword !== undefined && hasControlChars(newpassword))
  ) {
    answer = { kind: 'error', errno: EINVAL };
  }

  // Through a running authdaemond (unless --config-dir points at another configuration).
  const useDaemon = !own.configDirGiven || env.AUTHDAEMON_SOCKET !== undefined;
  if (!answer && useDaemon) {
    const socket = authdaemonSocketPath(env);
    const request =
      newpassword !== undefined
        ? buildPasswdRequest(service, userid, password!, newpassword)
        : password !== undefined
          ? buildAuthRequest(service, { mechanism: 'login', user: authUser, password }, remoteIp)
          : buildPreRequest('.', service, userid, remoteIp);
    const complete = newpassword !== undefined ? (t: string) => t.includes('\n') : replyComplete;
    const r = await callAuthdaemon(socket, request, { timeouts: resolveClientTimeouts(env), complete });
    if (r.kind === 'connect-error') {
      log.debug({ socket, code: r.code }, 'no authdaemond reachable; using the modules directly');
    } else {
      log.debug({ socket }, 'answered by authdaemond');
      if (own.verbose) process.stderr.write(`authtest: using authdaemond at ${socket}\n`);
      if (r.kind === 'eio') answer = { kind: 'error', errno: EIO };
      else if (newpassword !== undefined) {
        answer = r.text.startsWith('OK\n') ? { kind: 'passwd-ok' } : { kind: 'error', errno: EPERM };
      } else {
        const p = parseReply(r.text);
        answer =
          p.kind === 'ok'
            ? { kind: 'fields', fields: p.fields }
            : { kind: 'error', errno: p.kind === 'fail' ? EPERM : EIO };
      }
    }
  }

  if (!answer) {
    if (own.verbose) process.stderr.write(`authtest: using the modules directly (config ${own.configDir})\n`);
    let auth: Awaited<ReturnType<typeof createAuthenticator>>;
    try {
      auth = await createAuthenticator({ configDir: own.configDir, env, log });
    } catch (err) {
      const msg = describeConfigError(err);
      if (msg === undefined) throw err;
      process.stderr.write(`ERR: authtest: ${msg}\nAuthentication FAILED: ${EIO}\n`);
      return 1;
    }
    try {
      if (newpassword !== undefined) {
        answer = passwdToAnswer(await auth.changePassword(service, userid, password!, newpassword));
      } else if (password !== undefined) {
        answer = outcomeToAnswer(
          await auth.authenticate({
            service,
            credentials: { mechanism: 'login', user: authUser, password },
            remoteIp,
          }),
        );
      } else {
        answer = outcomeToAnswer(await auth.lookup(service, userid));
      }
    } finally {
      await auth.close();
    }
  }

  switch (answer.kind) {
    case 'fields':
      process.stdout.write(formatAuthtestSuccess(answer.fields));
      return 0;
    case 'passwd-ok':
      process.stderr.write('Password change succeeded.\n');
      return 0;
    default:
      process.stderr.write(`Authentication FAILED: ${answer.errno}\n`);
      return 1;
  }
}
