import type { Duplex } from 'node:stream';
import {
  type AuthAccount,
  type Authenticator,
  applyDefDomain,
  authGeneric,
  type LoginCredentials,
} from '@courier-ts/authlib';
import {
  type AdmittedConnection,
  accountIds,
  type BoundListener,
  CertificateStore,
  ConnectionLimiter,
  closeGracefully,
  createIdSource,
  externalLoginId,
  type Listeners,
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
import { AUTH_COMMANDS } from './commands/auth.js';
import { MAILDROP_COMMANDS } from './commands/maildrop.js';
import { courierMaildropOpener } from './maildrop-opener.js';
import { REPLY } from './protocol/replies.js';
import { AuthSession, type LoginVerdict } from './session/auth-phase.js';
import { createTransactionMain } from './session/transaction.js';
import { commandTable, type OpenMaildrop, type Pop3SessionInit } from './session/types.js';
import { POP3_SESSION_MODULE } from './session-entry.js';
import { maildirFor, transactionSettings } from './session-init.js';
import { capaLines, type Pop3dSettings } from './settings.js';

export interface Pop3ServerOptions {
  readonly settings: Pop3dSettings;
  readonly log: Logger;
  readonly authenticator: Pick<Authenticator, 'authenticate' | 'lookup'>;
  /** Maildrop implementation for in-process sessions (default: @courier-ts/maildir). */
  readonly openMaildrop?: OpenMaildrop;
  /** uid of this process; root (0) = per-uid worker processes. Default process.getuid(). */
  readonly processUid?: number;
  readonly sessionModule?: SessionModuleRef;
  readonly now?: () => number;
}

export interface Pop3Server {
  readonly bound: readonly BoundListener[];
  /**
   * SIGHUP: re-read certificates; with new settings (`next`), every connection from now on uses them:
   * timeouts, limits, CAPA, LOGIN-DELAY, TLS_* (the daemon then applies listeners and
   * MAXDAEMONS/MAXPERIP). Sessions in progress keep theirs; the log format and level, and whether a
   * spare worker is kept, are fixed at start.
   */
  reload(next?: Pop3dSettings): Promise<void>;
  /** SIGTERM: stop listening, end every session cleanly. */
  close(): Promise<void>;
}

/** Wire listeners, TLS, login phase, privilege model and the session together. */
export async function createPop3Server(o: Pop3ServerOptions): Promise<Pop3Server> {
  // SIGHUP swaps in new settings for new connections (see reload).
  let current = o.settings;
  const s = o.settings;
  const now = o.now ?? Date.now;
  const nextId = createIdSource();
  const certs = new CertificateStore(s.runtime.tlsSettings);
  const registry = new SessionRegistry();
  const processUid = o.processUid ?? process.getuid?.() ?? -1;
  const logSettings = { format: s.runtime.logFormat, level: s.runtime.logLevel };
  const pool = workerPoolIfRoot(processUid, {
    session: o.sessionModule ?? POP3_SESSION_MODULE,
    log: o.log,
    logSettings,
    ...(s.runtime.spareWorker
      ? { spare: { arg: { settings: transactionSettings(s), log: logSettings } } }
      : {}),
  });
  const runner = new SessionRunner<Pop3SessionInit>({
    main: createTransactionMain({
      commands: commandTable(MAILDROP_COMMANDS),
      openMaildrop: o.openMaildrop ?? courierMaildropOpener(),
      now,
    }),
    registry,
    ...(pool ? { pool } : {}),
    processUid,
  });
  const authCommands = commandTable(AUTH_COMMANDS);
  let starttlsAvailable = false;
  // The flag changes only once the check is done: a connection arriving meanwhile is not offered
  // STLS on a certificate that turns out unusable.
  const checkTls = async (): Promise<void> => {
    let available = current.starttls;
    if (current.starttls || current.runtime.tls.length > 0) {
      try {
        await certs.verify();
      } catch (err) {
        available = false;
        o.log.warn({ err }, `TLS disabled: ${(err as Error).message}`);
      }
    }
    starttlsAvailable = available;
  };
  await checkTls();

  /** LOGIN-DELAY bookkeeping (only when enforced): account -> time of its last login. */
  const lastLogin = new Map<string, number>();

  const verify = async (
    creds: LoginCredentials,
    a: AuthSession<AuthAccount>,
  ): Promise<LoginVerdict<AuthAccount>> => {
    const credentials =
      creds.mechanism === 'external'
        ? creds
        : { ...creds, user: applyDefDomain(creds.user, { ...current.env } as NodeJS.ProcessEnv) };
    const out = await authGeneric(o.authenticator, {
      service: current.authServices.get(a.info.localPort) ?? 'pop3',
      credentials,
      remoteIp: a.info.remoteIp,
      remotePort: a.info.remotePort,
    });
    if (out.kind !== 'ok') return out.kind === 'tempfail' ? { kind: 'tempfail' } : { kind: 'rejected' };
    const check = runner.check(accountIds(out.account));
    if (check.kind === 'refused') {
      a.log.warn(
        { uid: out.account.uid, processUid },
        check.reason === 'root-account'
          ? `refusing a session as root for user=${out.account.address}`
          : `cannot serve user=${out.account.address} (uid ${out.account.uid}): this server runs as uid ${processUid}; start it as root to serve other accounts`,
      );
      return check.reason === 'root-account' ? { kind: 'rejected' } : { kind: 'tempfail' };
    }
    if (current.loginDelaySeconds > 0) {
      const last = lastLogin.get(out.account.address);
      const t = now();
      if (last !== undefined && t - last < current.loginDelaySeconds * 1000) {
        a.log.info(
          `LOGIN DELAY, user=${out.account.address}, ip=[${a.info.remoteIp}], port=[${a.info.remotePort}]`,
        );
        return { kind: 'delayed' };
      }
      lastLogin.set(out.account.address, t);
      if (lastLogin.size > 100_000) lastLogin.clear();
    }
    return { kind: 'ok', account: out.account };
  };

  /**
   * The connection up to its login: the stream to close when it ends there, or what to launch. Its
   * own function so that nothing of the login phase (reader, closures) stays referenced from this
   * process while the worker serves the session.
   */
  const loginPhase = async (conn: AdmittedConnection): Promise<LoginPhaseEnd<Pop3SessionInit>> => {
    const { binding } = conn;
    const s = current;
    const opened = await openConnection(conn, { log: o.log, proto: 'pop3', certs, nextId, now });
    if (opened.kind === 'failed') return { kind: 'closed', stream: opened.stream };
    const { stream, info, log } = opened;
    // The verified client certificate (implicit TLS now, or after STLS): SASL EXTERNAL's identity.
    let peer = opened.peer;
    // TLS_EXTERNAL as the certificate store has it now (it takes the TLS_* settings of each SIGHUP).
    const externalField = certs.externalField;
    const external = (): string | undefined =>
      peer && externalField ? externalLoginId(peer, externalField) : undefined;
    const auth = new AuthSession<AuthAccount>(stream, binding.tls, info, log, {
      settings: {
        tlsRequired: s.tlsRequired,
        failDelayMs: s.failDelayMs,
        maxLineLength: s.maxLineLength,
        preLoginTimeoutMs: s.preLoginTimeoutMs,
        maxBadCommands: s.maxBadCommands,
        respCodes: s.respCodes,
        hostname: s.hostname,
      },
      commands: authCommands,
      capa: (tls, starttls) => capaLines(s, tls, starttls, external() !== undefined),
      starttlsAvailable: starttlsAvailable && !binding.tls,
      upgrade: async (sock) => {
        const r = await startTls(sock, certs);
        if (r.kind === 'ok') peer = r.peer;
        return r;
      },
      verify,
      external,
    });
    // The login phase is registered too, so SIGTERM ends connections that have not logged in.
    const res = await registry.run((signal) => auth.run(REPLY.greeting, signal));
    if (res.kind === 'end') {
      log.debug(`Disconnected, ip=[${info.remoteIp}], port=[${info.remotePort}]`);
      return { kind: 'closed', stream: auth.stream };
    }
    const account = res.account;
    const init: Pop3SessionInit = {
      user: account.address,
      maildir: maildirFor(account, s.maildirPath),
      utf8: res.utf8,
      tls: res.tls,
      remoteIp: info.remoteIp,
      remotePort: info.remotePort,
      startedAt: now(),
      disablePop3: account.options.disablePop3,
      disableInsecurePop3: account.options.disableInsecurePop3,
      capa: capaLines(s, res.tls, starttlsAvailable && !res.tls, external() !== undefined),
      greeting: REPLY.loggedIn,
      settings: transactionSettings(s),
    };
    return {
      kind: 'launch',
      launch: {
        ids: accountIds(account),
        stream: res.stream,
        isTls: res.tls,
        pending: res.pending,
        init,
        log,
        bindings: { cid: info.cid, proto: 'pop3', remote: info.remoteIp },
      },
    };
  };

  /** Serve one connection; returns the stream still to be closed here (none when a worker took it). */
  const handle = async (conn: AdmittedConnection): Promise<Duplex | undefined> => {
    const phase = await loginPhase(conn);
    if (phase.kind === 'closed') return phase.stream;
    const { launch } = phase;
    // No session for the account: a temporary failure, as Courier's login process gives when it
    // cannot start the session.
    const failure = { user: launch.init.user, reply: `${REPLY.tempFail}\r\n` };
    if (!(await runner.launchOrReply(launch, failure))) return launch.stream;
    // A plain socket passed to a worker is closed over there; this process no longer holds it.
    return pool && !launch.isTls ? undefined : launch.stream;
  };

  const listeners: Listeners = await startListeners({
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
    async reload(next?: Pop3dSettings) {
      if (next) current = next;
      // Listeners and MAXDAEMONS/MAXPERIP are the daemon's (runtime daemonCommands), after this reload.
      certs.reload(next?.runtime.tlsSettings);
      await checkTls();
    },
    async close() {
      await listeners.close();
      await pool?.shutdown();
      await registry.shutdown();
    },
  };
}
