// Actions of `pop3d start|stop|restart|run|preauth`, called by the commander program in ./index.ts.
import { resolve } from 'node:path';
import { createAuthenticator } from '@courier-ts/authlib';
import { loadServerConfig } from '@courier-ts/config';
import {
  createRootLogger,
  envSource,
  installSignalHandlers,
  type KeySource,
  parseLogFormat,
  removePidFile,
  startDaemon,
  stopDaemon,
  writePidFile,
} from '@courier-ts/runtime';
import { openCourierMaildrop } from '../maildrop-opener.js';
import { runPreauth } from '../preauth.js';
import { createPop3Server } from '../server.js';
import { type Pop3dSettings, resolvePop3dSettings } from '../settings.js';

/** What the commander program passes to every server action. */
export interface ServerCommandContext {
  readonly programName: string;
  /** Directory with pop3d and pop3d-ssl (Courier: /etc/courier). */
  readonly configDir: string;
  /** True when --config-dir was given explicitly (preauth then reads the files too). */
  readonly configDirGiven?: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stderr?: { write(s: string): unknown };
}
type ServerCommandOptions = ServerCommandContext;
export type ServerCommand = (ctx: ServerCommandContext) => Promise<number>;

async function loadSettings(o: ServerCommandOptions): Promise<{ settings: Pop3dSettings; errors: string[] }> {
  const cfg = await loadServerConfig({ server: 'pop3d', configDir: o.configDir, env: o.env });
  const errors = cfg.problems.filter((p) => p.severity === 'error').map((p) => p.message);
  const environment = { ...cfg.environment(), ...o.env };
  return { settings: resolvePop3dSettings(cfg, environment), errors };
}

function say(o: ServerCommandOptions, text: string): void {
  (o.stderr ?? process.stderr).write(`${o.programName}: ${text}\n`);
}

/** `run`: the server in the foreground; writes PIDFILE once listening; SIGTERM ends it cleanly. */
export async function runCommand(o: ServerCommandOptions): Promise<number> {
  const { settings, errors } = await loadSettings(o);
  if (errors.length > 0) {
    for (const e of errors) say(o, e);
    return 1;
  }
  const log = createRootLogger({
    format: settings.runtime.logFormat,
    level: settings.runtime.logLevel,
    ...(o.stderr ? { destination: o.stderr } : {}),
  });
  const authenticator = await createAuthenticator({ configDir: o.configDir, env: { ...o.env }, log });
  let server: Awaited<ReturnType<typeof createPop3Server>>;
  try {
    server = await createPop3Server({ settings, log, authenticator });
  } catch (err) {
    say(o, (err as Error).message);
    await authenticator.close();
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
        await authenticator.close();
        await removePidFile(settings.runtime.pidFile);
        remove();
        done(0);
      },
      reload: async () => {
        log.info('SIGHUP: reloading configuration and certificates');
        const next = await loadSettings(o);
        if (next.errors.length > 0) {
          log.warn({ errors: next.errors }, 'SIGHUP: configuration has errors; keeping the old settings');
          await server.reload();
        } else {
          await server.reload(next.settings);
        }
      },
    });
  });
}

/** `start`: daemonize (a detached `run`), wait for PIDFILE. */
export async function startCommand(o: ServerCommandOptions): Promise<number> {
  const { settings } = await loadSettings(o);
  const script = process.argv[1] ?? resolve('bin/pop3d');
  const r = await startDaemon({
    command: process.execPath,
    args: [script, 'run', '--config-dir', o.configDir],
    pidFile: settings.runtime.pidFile,
    env: { ...o.env },
    // The daemon's log (stderr); Courier sends it to syslog through courierlogger.
    ...(settings.env.COURIER_TS_LOGFILE ? { logFile: settings.env.COURIER_TS_LOGFILE } : {}),
  });
  if (!r.ok) {
    say(o, r.message);
    return 1;
  }
  return 0;
}

/** `stop`: SIGTERM to the PIDFILE's process. */
export async function stopCommand(o: ServerCommandOptions): Promise<number> {
  const { settings } = await loadSettings(o);
  const r = await stopDaemon(settings.runtime.pidFile);
  if (!r.ok) {
    say(o, r.message);
    return 1;
  }
  return 0;
}

export async function restartCommand(o: ServerCommandOptions): Promise<number> {
  await stopCommand({ ...o, stderr: o.stderr ?? process.stderr });
  return startCommand(o);
}

export interface PreauthCommandOptions extends ServerCommandContext {
  /** MAILDIR argument. */
  readonly maildir?: string;
}

/** `preauth [MAILDIR]`: one pre-authenticated session on stdin/stdout. */
export async function preauthCommand(o: PreauthCommandOptions): Promise<number> {
  let src: KeySource = envSource(o.env);
  let environment: Record<string, string | undefined> = { ...o.env };
  // Settings come from the environment alone (as courierpop3d), unless --config-dir was given.
  if (o.configDirGiven) {
    const cfg = await loadServerConfig({ server: 'pop3d', configDir: o.configDir, env: o.env });
    src = cfg;
    environment = { ...cfg.environment(), ...o.env };
  }
  const settings = resolvePop3dSettings(src, environment);
  // stdout carries the protocol: the log goes to stderr, Courier's plain lines unless asked otherwise.
  const log = createRootLogger({
    format: o.env.COURIER_TS_LOG_FORMAT ? parseLogFormat(o.env.COURIER_TS_LOG_FORMAT) : 'text',
    level: settings.runtime.logLevel,
  });
  const ac = new AbortController();
  const onTerm = (): void => ac.abort();
  process.once('SIGTERM', onTerm);
  try {
    await runPreauth({
      settings,
      env: envSource(o.env),
      ...(o.maildir ? { maildir: o.maildir } : {}),
      input: process.stdin,
      output: process.stdout,
      log,
      openMaildrop: openCourierMaildrop,
      cwd: process.cwd(),
      signal: ac.signal,
    });
  } finally {
    process.off('SIGTERM', onTerm);
    // Like courierpop3d, exit after QUIT even if the other side keeps its end open.
    process.stdin.destroy();
  }
  return 0;
}
