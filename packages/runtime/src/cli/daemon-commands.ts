/**
 * `run | start | stop | restart`, the same for both servers: each server says only how to load its
 * settings and how to open itself; the process life (PIDFILE, signals, daemonizing) is here.
 */
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import type { BoundListener } from '../listen/listeners.js';
import { createRootLogger } from '../log/root-logger.js';
import { startDaemon, stopDaemon } from '../process/control.js';
import { removePidFile, writePidFile } from '../process/pidfile.js';
import { installSignalHandlers } from '../process/signals.js';
import type { RuntimeSettings } from '../settings.js';
import type { ServerCommand, ServerCommandContext } from './server-program.js';

export interface DaemonSettings {
  readonly runtime: RuntimeSettings;
}

/** A server with its listeners bound. */
export interface RunningServer {
  readonly bound: readonly BoundListener[];
  /** SIGHUP: re-read what the server can re-read (configuration, certificates). */
  reload(): Promise<void>;
  /** SIGTERM: close sessions and listeners, and whatever the server opened (e.g. the authenticator). */
  close(): Promise<void>;
}

export interface DaemonSpec<S extends DaemonSettings> {
  /** The program in bin/, used when `start` cannot tell from process.argv. */
  readonly program: string;
  load(o: ServerCommandContext): Promise<{ readonly settings: S; readonly errors: readonly string[] }>;
  open(o: ServerCommandContext, settings: S, log: Logger): Promise<RunningServer>;
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
    let server: RunningServer;
    try {
      server = await spec.open(o, settings, log);
    } catch (err) {
      say(o, (err as Error).message);
      return 1;
    }
    for (const b of server.bound) {
      log.info(
        { address: b.address, port: b.port, tls: b.binding.tls },
        `listening on ${b.address} port ${b.port}`,
      );
    }
    await writePidFile(settings.runtime.pidFile, process.pid).catch((err: Error) => say(o, err.message));
    return new Promise<number>((done) => {
      const remove = installSignalHandlers({
        shutdown: async () => {
          log.info('shutting down');
          await server.close();
          await removePidFile(settings.runtime.pidFile);
          remove();
          done(0);
        },
        reload: async () => {
          log.info('SIGHUP: reloading');
          await server.reload();
        },
      });
    });
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
