/** createImapServer: listeners, TLS, the pre-login session, the privilege model and the logged-in session. */
import { isAbsolute, join } from 'node:path';
import type { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type AuthAccount,
  type Authenticator,
  applyDefDomain,
  authGeneric,
  formatLoginFailedLine,
  type LoginCredentials,
} from '@courier-ts/authlib';
import {
  type AdmittedConnection,
  accountIds,
  type BoundListener,
  CertificateStore,
  type ConnectionInfo,
  ConnectionLimiter,
  closeGracefully,
  createIdSource,
  Deadline,
  externalLoginId,
  type LoginPhaseEnd,
  openConnection,
  type SessionModuleRef,
  SessionRegistry,
  SessionRunner,
  startListeners,
  startTls,
  workerPoolIfRoot,
} from '@courier-ts/runtime';
import type { Logger } from 'pino';
import { imapRegistry } from './commands/index.js';
import { implementedCapabilities } from './session/capabilities.js';
import type { CommandRegistry, LoginServices, LoginVerdict } from './session/command.js';
import { ImapIo } from './session/io.js';
import { createImapSessionMain, type ImapSessionInit } from './session/logged-in.js';
import { ImapSession } from './session/session.js';
import { IMAP_SESSION_MODULE } from './session-entry.js';
import type { ImapdSettings } from './settings.js';

export interface ImapServerOptions {
  readonly settings: ImapdSettings;
  readonly log: Logger;
  readonly authenticator: Pick<Authenticator, 'authenticate' | 'lookup'>;
  readonly registry?: CommandRegistry;
  /** uid of this process; root (0) = per-uid worker processes. Default process.getuid(). */
  readonly processUid?: number;
  readonly sessionModule?: SessionModuleRef;
  readonly now?: () => number;
}

export interface ImapServer {
  readonly bound: readonly BoundListener[];
  /**
   * SIGHUP: re-read certificates; with new settings (`next`), every connection from now on uses them:
   * CAPABILITY, IMAP_TLS_REQUIRED, timeouts, limits, login-fail delay, the logged-in session's settings
   * (sent to the per-uid worker with each session), TLS_* (the daemon then applies listeners and
   * MAXDAEMONS/MAXPERIP). Sessions in progress keep theirs; the log format and level, the umask, and
   * whether a spare worker is kept (and what it warms up with) are fixed at start.
   */
  reload(next?: ImapdSettings): Promise<void>;
  close(): Promise<void>;
}

/**
 * When the logged-in session cannot be started: the login command's tagged NO (RFC 5530
 * UNAVAILABLE: a temporary failure, try again later), then BYE, as the connection is closed.
 */
function launchFailedReply(tag: string | undefined): string {
  const text = 'Temporary problem, please try again later';
  return `${tag ? `${tag} NO [UNAVAILABLE] ${text}\r\n` : ''}* BYE ${text}\r\n`;
}

const GREETING_TEXT =
  'Courier-IMAP ready. Copyright 1998-2019 Double Precision, Inc.  See COPYING for distribution information.';

/** Account -> absolute maildir: the account's own, else MAILDIRPATH under home. */
export function imapMaildirFor(account: AuthAccount, maildirPath: string): string {
  const m = account.maildir && account.maildir !== '' ? account.maildir : maildirPath;
  return isAbsolute(m) ? m : join(account.home, m);
}

export async function createImapServer(o: ImapServerOptions): Promise<ImapServer> {
  // SIGHUP swaps in new settings for new connections (see reload); each connection keeps its own.
  let current = o.settings;
  const s = o.settings;
  const now = o.now ?? Date.now;
  const nextId = createIdSource();
  const registry = o.registry ?? imapRegistry();
  const implemented = implementedCapabilities(registry);
  const certs = new CertificateStore(s.runtime.tlsSettings);
  const sessions = new SessionRegistry();
  const processUid = o.processUid ?? process.getuid?.() ?? -1;
  const logSettings = { format: s.runtime.logFormat, level: s.runtime.logLevel };
  const pool = workerPoolIfRoot(processUid, {
    session: o.sessionModule ?? IMAP_SESSION_MODULE,
    log: o.log,
    logSettings,
    // The spare's warm-up (session/warm-up.ts) logs as a worker's sessions will.
    ...(s.runtime.spareWorker ? { spare: { arg: { settings: s.session, log: logSettings } } } : {}),
  });
  const runner = new SessionRunner<ImapSessionInit>({
    main: createImapSessionMain({ registry, now }),
    registry: sessions,
    ...(pool ? { pool } : {}),
    processUid,
  });
  let tlsAvailable = false;
  // Set once the certificates are checked: a connection meanwhile sees the previous answer.
  const checkTls = async (): Promise<void> => {
    let available = current.starttls || current.runtime.tls.length > 0;
    if (available) {
      try {
        await certs.verify();
      } catch (err) {
        available = false;
        o.log.warn({ err }, `TLS disabled: ${(err as Error).message}`);
      }
    }
    tlsAvailable = available;
  };
  await checkTls();

  /** Check a login with the settings `s` of the connection it came on. */
  const verify = async (
    s: ImapdSettings,
    info: ConnectionInfo,
    log: Logger,
    tls: () => boolean,
    creds: LoginCredentials,
    who: { user: string } | { method: string },
  ): Promise<LoginVerdict> => {
    const credentials =
      creds.mechanism === 'external'
        ? creds
        : { ...creds, user: applyDefDomain(creds.user, { ...s.env } as NodeJS.ProcessEnv) };
    const out = await authGeneric(o.authenticator, {
      service: s.authServices.get(info.localPort) ?? 'imap',
      credentials,
      remoteIp: info.remoteIp,
      remotePort: info.remotePort,
    });
    if (out.kind === 'ok') {
      const a = out.account;
      const check = runner.check(accountIds(a));
      if (check.kind === 'done') {
        if (a.options.disableInsecureImap && !tls()) {
          log.info(`LOGIN FAILED, user=${a.address}: insecure IMAP disabled`);
          return { kind: 'rejected' };
        }
        return { kind: 'ok', account: a };
      }
      log.warn({ uid: a.uid, processUid }, `cannot serve user=${a.address} (uid ${a.uid}): ${check.reason}`);
      return { kind: 'tempfail' };
    }
    log.info(formatLoginFailedLine({ ...who, ip: info.remoteIp, port: info.remotePort }));
    if (out.kind === 'rejected') await sleep(s.failDelayMs);
    return out.kind === 'tempfail' ? { kind: 'tempfail' } : { kind: 'rejected' };
  };

  /**
   * The connection up to its login: the stream to close when it ends there, or what to launch. Its
   * own function so that nothing of the login phase (parser, session, closures) stays referenced
   * from this process while the worker serves the session, which can last days.
   */
  const loginPhase = async (conn: AdmittedConnection): Promise<LoginPhaseEnd<ImapSessionInit>> => {
    const { binding } = conn;
    const s = current;
    const opened = await openConnection(conn, { log: o.log, proto: 'imap', certs, nextId, now });
    if (opened.kind === 'failed') return { kind: 'closed', stream: opened.stream };
    const { stream, info, log } = opened;
    // The verified client certificate (implicit TLS now, or after STARTTLS): SASL EXTERNAL's identity.
    let peer = opened.peer;
    // TLS_EXTERNAL as the certificate store has it now (it takes the TLS_* settings of each SIGHUP).
    const externalField = certs.externalField;
    const io = new ImapIo(stream, { parser: { maxLineLength: 16384 }, lineMode: true });
    let session: ImapSession | undefined;
    const services: LoginServices = {
      tlsRequired: s.tlsRequired,
      starttlsAvailable: tlsAvailable && s.starttls && !binding.tls,
      verify: (creds, who) => verify(s, info, log, () => session?.tls ?? binding.tls, creds, who),
      upgrade: async (sock) => {
        const r = await startTls(sock, certs);
        if (r.kind === 'ok') peer = r.peer;
        return r;
      },
      external: () => (peer && externalField ? externalLoginId(peer, externalField) : undefined),
      refuse: async (who) => {
        log.info(formatLoginFailedLine({ ...who, ip: info.remoteIp, port: info.remotePort }));
        await sleep(s.failDelayMs);
      },
    };
    session = new ImapSession(io, {
      registry,
      implemented,
      settings: s.session,
      log,
      tls: binding.tls,
      login: services,
    });
    const cap = new Deadline(s.preLoginTimeoutMs, () => io.interrupt());
    cap.reset();
    const greeting = `* OK [CAPABILITY ${session.capabilities().join(' ')}] ${GREETING_TEXT}\r\n`;
    const end = await session.run(greeting).finally(() => cap.clear());
    if (end.kind !== 'login') {
      log.debug(`Disconnected, ip=[${info.remoteIp}], port=[${info.remotePort}]`);
      return { kind: 'closed', stream: io.stream };
    }
    const account = end.account as AuthAccount;
    const init: ImapSessionInit = {
      user: account.address,
      maildir: imapMaildirFor(account, s.maildirPath),
      tls: session.tls,
      starttls: session.tls && !binding.tls,
      utf8: session.utf8,
      remoteIp: info.remoteIp,
      remotePort: info.remotePort,
      startedAt: now(),
      loginTag: end.tag,
      disableImap: account.options.disableImap,
      settings: s.session,
      external: services.external?.() !== undefined,
    };
    return {
      kind: 'launch',
      launch: {
        ids: accountIds(account),
        stream: io.stream,
        isTls: session.tls,
        pending: end.pending,
        init,
        log,
        bindings: { cid: info.cid, proto: 'imap', remote: info.remoteIp },
      },
    };
  };

  const handle = async (conn: AdmittedConnection): Promise<Duplex | undefined> => {
    const phase = await loginPhase(conn);
    if (phase.kind === 'closed') return phase.stream;
    const { launch } = phase;
    // No session for the account: the login command fails as temporary, and the connection ends.
    await runner.launchOrReply(launch, {
      user: launch.init.user,
      reply: launchFailedReply(launch.init.loginTag),
    });
    return launch.stream;
  };

  const listeners = await startListeners({
    bindings: [...s.runtime.plain, ...s.runtime.tls],
    limiter: new ConnectionLimiter(s.runtime.maxDaemons, s.runtime.maxPerIp),
    log: o.log,
    onConnection: (conn) => {
      handle(conn)
        .catch((err: unknown) => {
          o.log.error({ err }, 'connection failed');
          return conn.socket;
        })
        .then((stream) => (stream ? closeGracefully(stream) : undefined))
        .finally(() => {
          conn.socket.destroy();
          conn.release();
        });
    },
  });
  // The spare worker warms up once the listeners are there (a login may then find it ready).
  pool?.prepareSpare();

  return {
    bound: listeners.bound,
    async reload(next?: ImapdSettings) {
      if (next) current = next;
      // Listeners and MAXDAEMONS/MAXPERIP are the daemon's (runtime daemonCommands), after this reload.
      certs.reload(next?.runtime.tlsSettings);
      await checkTls();
    },
    async close() {
      await listeners.close();
      await pool?.shutdown();
      await sessions.shutdown();
    },
  };
}
