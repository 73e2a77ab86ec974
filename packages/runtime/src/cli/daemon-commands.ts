/**
 * `run | start | stop | restart`, the same for both servers: each server says only how to load its
 * settings and how to open itself; the process life (PIDFILE, signals, daemonizing) is here.
 */
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { type BoundListener, type RebindResult, rebindOf, relimitOf } from '../listen/listeners.js';
import type { ListenBinding } from '../listen/port-list.js';
import { createRootLogger } from '../log/root-logger.js';
import { startDaemon, stopDaemon } from '../process/control.js';
import { collectWhenIdle } from '../process/idle-gc.js';
import { removePidFile, writePidFile } from '../process/pidfile.js';
import { installSignalHandlers } from '../process/signals.js';
import type { RuntimeSettings } from '../settings.js';
import type { ServerCommand, ServerCommandContext } from './server-program.js';

export interface DaemonSettings {
  readonly runtime: RuntimeSettings;
}

/** A server with its listeners bound. */
export interface RunningServer<S = unknown> {
  /** The sockets listening now (the live list from `startListeners`, which also carries its rebind). */
  readonly bound: readonly BoundListener[];
  /**
   * SIGHUP: take what the server can take without a restart: `next` = the settings as the files are
   * now (undefined when they have errors: keep the old ones, re-read certificates only).
   */
  reload(next?: S): Promise<void>;
  /** SIGHUP: listen on these bindings instead (default: the rebind behind `bound`, see `rebindOf`). */
  rebind?(bindings: readonly ListenBinding[]): Promise<RebindResult>;
  /** SIGTERM: close sessions and listeners, and whatever the server opened (e.g. the authenticator). */
  close(): Promise<void>;
}

export interface DaemonSpec<S extends DaemonSettings> {
  /** The program in bin/, used when `start` cannot tell from process.argv. */
  readonly program: string;
  load(o: ServerCommandContext): Promise<{ readonly settings: S; readonly errors: readonly string[] }>;
  open(o: ServerCommandContext, settings: S, log: Logger): Promise<RunningServer<S>>;
}

export interface DaemonCommands {
  readonly run: ServerCommand;
  readonly start: ServerCommand;
  readonly stop: ServerCommand;
  readonly restart: ServerCommand;
}

function say(o: ServerCommandContext, text: string): void {
  o.stderr.write(`${o.programName}: ${text}\n`);
}

function where(b: BoundListener): { address: string; port: number; tls: boolean } {
  return { address: b.address, port: b.port, tls: b.binding.tls };
}

/** TLS_* settings that cannot be honoured as written: said at start and after each SIGHUP. */
function warnTls(log: Logger, runtime: RuntimeSettings): void {
  for (const w of runtime.tlsSettings.warnings ?? []) log.warn(w);
}

/**
 * SIGHUP: MAXDAEMONS and MAXPERIP as they are in the files now, for the connections that come from
 * now on; sessions in progress are left alone.
 */
function applyLimits<S extends DaemonSettings>(next: S, server: RunningServer<S>, log: Logger): void {
  const relimit = relimitOf(server.bound);
  const { maxDaemons, maxPerIp } = next.runtime;
  if (!relimit) {
    log.warn('SIGHUP: this server cannot change MAXDAEMONS/MAXPERIP; restart it for new limits');
    return;
  }
  if (relimit(maxDaemons, maxPerIp)) {
    log.info({ maxDaemons, maxPerIp }, `SIGHUP: MAXDAEMONS=${maxDaemons}, MAXPERIP=${maxPerIp}`);
  }
}

/**
 * SIGHUP, after the server's own reload: PORT / ADDRESS / SSLPORT / SSLADDRESS (and the *START
 * switches) as they are in the files now. New listeners open first; old ones close once all did.
 */
async function rebindListeners<S extends DaemonSettings>(
  next: S,
  server: RunningServer<S>,
  log: Logger,
): Promise<void> {
  warnTls(log, next.runtime);
  const rebind = server.rebind?.bind(server) ?? rebindOf(server.bound);
  if (!rebind) {
    log.warn('SIGHUP: this server cannot rebind its listeners; restart it for PORT/ADDRESS changes');
    return;
  }
  const r = await rebind([...next.runtime.plain, ...next.runtime.tls]);
  if (r.kind === 'failed') {
    log.error({ reason: r.reason }, `SIGHUP: ${r.reason}; keeping the old listeners`);
    return;
  }
  for (const b of r.opened) log.info(where(b), `SIGHUP: now listening on ${b.address} port ${b.port}`);
  for (const b of r.closed) log.info(where(b), `SIGHUP: no longer listening on ${b.address} port ${b.port}`);
}

export function daemonCommands<S extends DaemonSettings>(spec: DaemonSpec<S>): DaemonCommands {
  /** `run`: serve in the foreground; writes PIDFILE once listening; SIGTERM ends it cleanly. */
  const run: ServerCommand = async (o) => {
    const { settings, errors } = await spec.load(o);
    if (errors.length > 0) {
      for (const e of errors) say(o, e);
      return 1;
    }
    const log = createRootLogger({
      format: settings.runtime.logFormat,
      level: settings.runtime.logLevel,
      destination: o.stderr,
    });
    // The handlers go in before the sockets listen: a SIGHUP right after the port opens must not kill
    // the process (SIGHUP's default action), and a SIGTERM during start-up ends it cleanly.
    let server: RunningServer<S> | undefined;
    let stopping = false;
    // Reloads run one after the other; a SIGHUP during shutdown is ignored, one before listening waits.
    let reloading: Promise<void> = Promise.resolve();
    let hupWhileOpening = false;
    let stopIdleGc = (): void => {};
    let finish: (code: number) => void = () => {};
    const finished = new Promise<number>((r) => {
      finish = r;
    });
    const shutdown = async (): Promise<void> => {
      stopping = true;
      if (!server) return; // still opening: done once open() returns
      await reloading;
      log.info('shutting down');
      stopIdleGc();
      await server.close();
      await removePidFile(settings.runtime.pidFile);
      remove();
      finish(0);
    };
    const reload = async (): Promise<void> => {
      if (!server) hupWhileOpening = true;
      if (stopping || !server) return;
      log.info('SIGHUP: reloading');
      // The files are read once: the server's reload and the listeners take the same settings.
      const next = await spec.load(o);
      if (next.errors.length > 0) {
        log.warn(
          { errors: next.errors },
          'SIGHUP: configuration has errors; keeping the old settings and listeners',
        );
        await server.reload();
        return;
      }
      await server.reload(next.settings);
      if (stopping) return;
      applyLimits(next.settings, server, log);
      await rebindListeners(next.settings, server, log);
    };
    const queueReload = (): Promise<void> => {
      reloading = reloading
        .then(reload)
        .catch((err: unknown) => log.error({ err }, `SIGHUP: reload failed: ${(err as Error).message}`));
      return reloading;
    };
    const remove = installSignalHandlers({ shutdown, reload: queueReload });
    try {
      server = await spec.open(o, settings, log);
    } catch (err) {
      remove();
      say(o, (err as Error).message);
      return 1;
    }
    // Garbage of a burst of logins is collected once the process has been quiet a minute.
    stopIdleGc = collectWhenIdle({
      everyMs: 1000,
      who: 'idle server process',
      collected: (text) => log.info(text),
    });
    warnTls(log, settings.runtime);
    for (const b of server.bound) log.info(where(b), `listening on ${b.address} port ${b.port}`);
    await writePidFile(settings.runtime.pidFile, process.pid).catch((err: Error) => say(o, err.message));
    if (stopping) await shutdown();
    else if (hupWhileOpening) void queueReload();
    return finished;
  };

  /** `start`: a detached `run`; waits for PIDFILE. The daemon's log goes to COURIER_TS_LOGFILE, if set. */
  const start: ServerCommand = async (o) => {
    const { settings } = await spec.load(o);
    const logFile = o.env.COURIER_TS_LOGFILE;
    const r = await startDaemon({
      command: process.execPath,
      args: [process.argv[1] ?? resolve('bin', spec.program), 'run', '--config-dir', o.configDir],
      pidFile: settings.runtime.pidFile,
      env: { ...o.env },
      ...(logFile ? { logFile } : {}),
    });
    if (!r.ok) say(o, r.message);
    return r.ok ? 0 : 1;
  };

  /** `stop`: SIGTERM to the PIDFILE's process. */
  const stop: ServerCommand = async (o) => {
    const { settings } = await spec.load(o);
    const r = await stopDaemon(settings.runtime.pidFile);
    if (!r.ok) say(o, r.message);
    return r.ok ? 0 : 1;
  };

  const restart: ServerCommand = async (o) => {
    await stop(o);
    return start(o);
  };

  return { run, start, stop, restart };
}
