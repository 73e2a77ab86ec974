import { chmod, mkdir, rename, unlink } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import type { Authenticator } from '../types.js';
import { accountToReplyFields, decodeAuthData, formatEnumerateLine, formatReply } from './protocol.js';
import { type DaemonRequest, RequestReader } from './request-reader.js';

export interface AuthdaemonServerOptions {
  readonly authenticator: Authenticator;
  readonly socketPath: string;
  readonly log: Logger;
  /** Per-chunk read timeout (Courier: 10 s). */
  readonly readTimeoutMs?: number;
  /** Write timeout (Courier: 30 s). */
  readonly writeTimeoutMs?: number;
}

export interface AuthdaemonServer {
  readonly socketPath: string;
  close(): Promise<void>;
}

type Reply =
  | { kind: 'text'; text: string }
  | { kind: 'tempfail' }
  | { kind: 'stream'; lines: AsyncIterable<string> };

async function answer(req: DaemonRequest, auth: Authenticator, log: Logger): Promise<Reply> {
  switch (req.kind) {
    case 'pre': {
      const o = await auth.lookup(req.service, req.userid, req.module);
      log.debug({ cmd: 'PRE', service: req.service, user: req.userid, result: o.kind }, 'request');
      if (o.kind === 'ok') return { kind: 'text', text: formatReply(accountToReplyFields(o.account)) };
      return o.kind === 'rejected' ? { kind: 'text', text: 'FAIL\n' } : { kind: 'tempfail' };
    }
    case 'auth': {
      const credentials = decodeAuthData(req.authtype, req.authdata);
      if (!credentials) {
        log.debug({ cmd: 'AUTH', authtype: req.authtype }, 'unsupported authtype');
        return { kind: 'text', text: 'FAIL\n' };
      }
      const remoteIp = req.meta.get('TCPREMOTEIP');
      const o = await auth.authenticate({
        service: req.service,
        credentials,
        ...(remoteIp ? { remoteIp } : {}),
      });
      log.debug(
        {
          cmd: 'AUTH',
          service: req.service,
          authtype: req.authtype,
          user: credentials.user,
          ip: remoteIp,
          result: o.kind,
        },
        'request',
      );
      if (o.kind === 'ok') return { kind: 'text', text: formatReply(accountToReplyFields(o.account)) };
      return o.kind === 'rejected' ? { kind: 'text', text: 'FAIL\n' } : { kind: 'tempfail' };
    }
    case 'passwd': {
      if (req.hasControl || req.fields.length < 4) return { kind: 'text', text: 'FAIL\n' };
      const [service, userid, oldpw, newpw] = req.fields as [string, string, string, string];
      const r = await auth.changePassword(service, userid, oldpw, newpw);
      log.info({ cmd: 'PASSWD', service, user: userid, result: r }, 'password change');
      return { kind: 'text', text: r === 'ok' ? 'OK\n' : 'FAIL\n' };
    }
    case 'enumerate':
      return {
        kind: 'stream',
        lines: (async function* () {
          // `# <module>\n\n` for each module that can enumerate, even one without accounts.
          const pending = [...(auth.enumeratingModules ?? [])];
          let module: string | undefined;
          for await (const e of auth.enumerate()) {
            if (e.module !== module) {
              while (pending.length > 0 && pending[0] !== e.module) yield `# ${pending.shift()}\n\n`;
              pending.shift();
              module = e.module;
              yield `# ${module}\n\n`;
            }
            yield formatEnumerateLine(e);
          }
          for (const m of pending) yield `# ${m}\n\n`;
          yield '.\n';
        })(),
      };
    default:
      // Courier closes the connection without a reply on an unknown or malformed request.
      log.debug({ request: req.kind }, 'bad request');
      return { kind: 'tempfail' };
  }
}

function write(sock: Socket, text: string): Promise<void> {
  return new Promise((resolve) => {
    if (sock.write(text)) resolve();
    else sock.once('drain', resolve).once('close', resolve);
  });
}

function serve(sock: Socket, opts: AuthdaemonServerOptions): void {
  const log = opts.log;
  const reader = new RequestReader();
  let handled = false;
  sock.setTimeout(opts.readTimeoutMs ?? 10_000, () => sock.destroy());
  sock.on('error', () => sock.destroy());
  sock.on('data', (chunk: Buffer) => {
    if (handled) return;
    const req = reader.push(chunk);
    if (!req) return;
    handled = true;
    sock.setTimeout(0);
    const writeTimer = setTimeout(() => sock.destroy(), opts.writeTimeoutMs ?? 30_000);
    writeTimer.unref();
    answer(req, opts.authenticator, log)
      .then(async (reply) => {
        if (reply.kind === 'tempfail') return;
        if (reply.kind === 'text') await write(sock, reply.text);
        else for await (const line of reply.lines) await write(sock, line);
      })
      .catch((err: unknown) => log.error({ err }, 'authdaemond request failed'))
      .finally(() => {
        clearTimeout(writeTimer);
        sock.end();
      });
  });
}

/**
 * Serve the authdaemond protocol on a unix socket, created as `<path>.tmp` (mode 0777) and renamed
 * into place, one request per connection.
 */
export async function startAuthdaemonServer(opts: AuthdaemonServerOptions): Promise<AuthdaemonServer> {
  const path = opts.socketPath;
  const tmp = `${path}.tmp`;
  // Create the socket directory (one level, 0750) if needed; its parent must exist.
  await mkdir(dirname(path), { mode: 0o750 }).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err;
  });
  await unlink(tmp).catch(() => undefined);
  const server: Server = createServer((sock) => serve(sock, opts));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(tmp, () => {
      server.off('error', reject);
      resolve();
    });
  });
  await chmod(tmp, 0o777);
  await rename(tmp, path);
  return {
    socketPath: path,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await unlink(path).catch(() => undefined);
    },
  };
}
