import type { Logger } from 'pino';
import type { AuthModule, ModuleAccount, ModuleResult } from '../modules/module.js';
import { NOT_FOUND } from '../modules/module.js';
import { DEFAULT_PASSWD_FILE, getpwnam } from '../modules/system-accounts.js';
import type { AuthRequest, EnumeratedAccount } from '../types.js';
import { callAuthdaemon, resolveClientTimeouts } from './client.js';
import {
  buildAuthRequest,
  buildPasswdRequest,
  buildPreRequest,
  parseReply,
  type ReplyFields,
  replyComplete,
} from './protocol.js';

export interface AuthdaemonClientOptions {
  readonly socketPath: string;
  readonly env: NodeJS.ProcessEnv;
  readonly log: Logger;
  /** For resolving USERNAME= to a uid (default /etc/passwd). */
  readonly passwdFile?: string;
}

/** Reply fields → account; USERNAME accounts get their uid from getpwnam (-1 if unknown here). */
export async function replyToAccount(
  f: ReplyFields,
  userid: string,
  passwdFile: string,
): Promise<ModuleAccount> {
  const username = f.get('USERNAME');
  let uid = f.has('UID') ? Number(f.get('UID')) : -1;
  if (username !== undefined && !f.has('UID')) {
    uid = (await getpwnam({ passwdFile, shadowFile: '' }, username).catch(() => undefined))?.uid ?? -1;
  }
  const pick = (k: Parameters<ReplyFields['get']>[0]): string | undefined => f.get(k);
  return {
    address: pick('ADDRESS') ?? userid,
    ...(username !== undefined && { systemUser: username }),
    uid,
    gid: Number(f.get('GID') ?? '-1'),
    home: f.get('HOME') ?? '',
    ...(pick('MAILDIR') !== undefined && { maildir: pick('MAILDIR') }),
    ...(pick('QUOTA') !== undefined && { quota: pick('QUOTA') }),
    ...(pick('NAME') !== undefined && { fullName: pick('NAME') }),
    ...(pick('PASSWD') !== undefined && { encryptedPassword: pick('PASSWD') }),
    ...(pick('PASSWD2') !== undefined && { clearPassword: pick('PASSWD2') }),
    ...(pick('OPTIONS') !== undefined && { options: pick('OPTIONS') }),
  };
}

/**
 * The `authdaemon` module: delegate to a running authdaemond (Courier's or ours) over its socket.
 * FAIL → rejected (falls through); no daemon or a broken reply → temporary failure.
 */
export function createAuthdaemonClientModule(opts: AuthdaemonClientOptions): AuthModule {
  const timeouts = resolveClientTimeouts(opts.env);
  const passwdFile = opts.passwdFile ?? DEFAULT_PASSWD_FILE;
  const log = opts.log.child({ module: 'authdaemon' });
  const ask = async (request: string, userid: string): Promise<ModuleResult> => {
    const r = await callAuthdaemon(opts.socketPath, request, { timeouts, complete: replyComplete });
    if (r.kind === 'connect-error') {
      log.warn({ socket: opts.socketPath, code: r.code }, 'authdaemon: s_connect() failed');
      return { kind: 'tempfail', reason: `s_connect() failed: ${r.code}` };
    }
    if (r.kind === 'eio') return { kind: 'tempfail', reason: 'authdaemon: no or incomplete reply' };
    const p = parseReply(r.text);
    if (p.kind === 'fail') return NOT_FOUND;
    if (p.kind === 'eio') return { kind: 'tempfail', reason: 'authdaemon: garbled reply' };
    return { kind: 'ok', account: await replyToAccount(p.fields, userid, passwdFile) };
  };
  return {
    name: 'authdaemon',
    lookup: (service, userid) => ask(buildPreRequest('.', service, userid, opts.env.TCPREMOTEIP), userid),
    authenticate: (req: AuthRequest) =>
      ask(buildAuthRequest(req.service, req.credentials, req.remoteIp), req.credentials.user),
    async changePassword(service, userid, oldpw, newpw) {
      const r = await callAuthdaemon(opts.socketPath, buildPasswdRequest(service, userid, oldpw, newpw), {
        timeouts,
        complete: (t) => t.includes('\n'),
      });
      if (r.kind !== 'reply') return 'tempfail';
      return r.text.startsWith('OK') ? 'ok' : 'failed';
    },
    async *enumerate(): AsyncIterable<EnumeratedAccount> {
      const r = await callAuthdaemon(opts.socketPath, ENUMERATE_REQUEST, { timeouts, ...ENUMERATE_CALL });
      if (r.kind === 'reply') yield* parseEnumerateReply(r.text);
    },
  };
}

export const ENUMERATE_REQUEST = 'ENUMERATE\n';
export const ENUMERATE_CALL = { maxBytes: 0, complete: (t: string) => t === '.\n' || t.endsWith('\n.\n') };

/** The client's ENUMERATE parser: text after `#` dropped, lines without a TAB and uid/gid 0 skipped. */
export function parseEnumerateReply(text: string): EnumeratedAccount[] {
  const out: EnumeratedAccount[] = [];
  let module = 'authdaemon';
  for (const line of text.split('\n')) {
    if (line.startsWith('# ')) module = line.slice(2).trim();
    const f = line.split('#')[0]!.split('\t');
    if (f.length < 4) continue;
    const uid = Number(f[1]);
    const gid = Number(f[2]);
    if (!uid || !gid) continue;
    out.push({
      module,
      name: f[0]!,
      uid,
      gid,
      home: f[3]!,
      ...(f[4] ? { maildir: f[4] } : {}),
      ...(f[5] ? { options: f[5] } : {}),
    });
  }
  return out;
}
