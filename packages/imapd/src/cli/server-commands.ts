/**
 * Actions of `imapd start|stop|restart|run|preauth`, called by the commander program in ./index.ts
 * (same signature as the stubs they replace).
 */
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
  type ServerCommand,
  type ServerCommandContext,
  startDaemon,
  stopDaemon,
  writePidFile,
} from '@courier-ts/runtime';
import { imapRegistry } from '../commands/index.js';
import { runImapPreauth } from '../preauth.js';
import { createImapServer } from '../server.js';
import { type ImapdSettings, resolveImapdSettings } from '../settings.js';

async function loadSettings(o: ServerCommandContext): Promise<{ settings: ImapdSettings; errors: string[] }> {
  const cfg = await loadServerConfig({ server: 'imapd', configDir: o.configDir, env: o.env });
  const errors = cfg.problems.filter((p) => p.severity === 'error').map((p) => p.message);
  const environment = { ...cfg.environment(), ...o.env };
  // Courier's start script: the plain listener gets IMAP_STARTTLS=$IMAPDSTARTTLS.
  const files: KeySource = {
    get: (k) => (k === 'IMAP_STARTTLS' ? (cfg.get('IMAP_STARTTLS') ?? cfg.get('IMAPDSTARTTLS')) : cfg.get(k)),
  };
  return { settings: resolveImapdSettings(files, environment), errors };
}

function say(o: ServerCommandContext, text: string): void {
  o.stderr.write(`${o.programName}: ${text}\n`);
}

/** `run`: serve in the foreground; writes PIDFILE once listening; SIGTERM ends it cleanly. */
export const runCommand: ServerCommand = async (o) => {
  const { settings, errors } = await loadSettings(o);
  if (errors.length > 0) {
    for (const e of errors) say(o, e);
    return 1;
  }
  const log = createRootLogger({
    format: settings.runtime.logFormat,
    level: settings.runtime.logLevel,
    destination: o.stderr,
  });
  for (const u of settings.unsupported) log.warn(`not supported yet, ignored: ${u}`);
  const authenticator = await createAuthenticator({ configDir: o.configDir, env: { ...o.env }, log });
  let server: Awaited<ReturnType<typeof createImapServer>>;
  try {
    server = await createImapServer({ settings, log, authenticator });
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
        log.info('SIGHUP: reloading certificates');
        server.reload();
      },
    });
  });
};

/** `start`: a detached `run`; waits for PIDFILE. */
export const startCommand: ServerCommand = async (o) => {
  const { settings } = await loadSettings(o);
  const script = process.argv[1] ?? resolve('bin/imapd');
  const r = await startDaemon({
    command: process.execPath,
    args: [script, 'run', '--config-dir', o.configDir],
    pidFile: settings.runtime.pidFile,
    env: { ...o.env },
  });
  if (!r.ok) {
    say(o, r.message);
    return 1;
  }
  return 0;
};

/** `stop`: SIGTERM to the PIDFILE's process. */
export const stopCommand: ServerCommand = async (o) => {
  const { settings } = await loadSettings(o);
  const r = await stopDaemon(settings.runtime.pidFile);
  if (!r.ok) {
    say(o, r.message);
    return 1;
  }
  return 0;
};

export const restartCommand: ServerCommand = async (o) => {
  await stopCommand(o);
  return startCommand(o);
};

/** `preauth [MAILDIR]`: one pre-authenticated session on stdin/stdout (settings from the environment). */
export const preauthCommand: ServerCommand = async (o) => {
  let src: KeySource = envSource(o.env);
  let environment: Record<string, string | undefined> = { ...o.env };
  if (o.configDirGiven) {
    const cfg = await loadServerConfig({ server: 'imapd', configDir: o.configDir, env: o.env });
    src = cfg;
    environment = { ...cfg.environment(), ...o.env };
  }
  const settings = resolveImapdSettings(src, environment);
  const log = createRootLogger({
    format: o.env.COURIER_TS_LOG_FORMAT ? parseLogFormat(o.env.COURIER_TS_LOG_FORMAT) : 'text',
    level: settings.runtime.logLevel,
    destination: o.stderr,
  });
  const ac = new AbortController();
  const onTerm = (): void => ac.abort();
  process.once('SIGTERM', onTerm);
  try {
    await runImapPreauth({
      settings,
      env: envSource(o.env),
      ...(o.maildir ? { maildir: o.maildir } : {}),
      input: process.stdin,
      output: process.stdout,
      log,
      registry: imapRegistry(),
      cwd: process.cwd(),
      signal: ac.signal,
    });
  } finally {
    process.off('SIGTERM', onTerm);
  }
  return 0;
};
