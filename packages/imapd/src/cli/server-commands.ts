/**
 * Actions of `imapd start|stop|restart|run|preauth`, called by the commander program in ./index.ts
 * (same signature as the stubs they replace).
 */
import { createAuthenticator } from '@courier-ts/authlib';
import { loadServerConfig } from '@courier-ts/config';
import {
  createRootLogger,
  daemonCommands,
  envSource,
  type KeySource,
  parseLogFormat,
  type ServerCommand,
  type ServerCommandContext,
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

const daemon = daemonCommands<ImapdSettings>({
  program: 'imapd',
  load: loadSettings,
  async open(o, settings, log) {
    for (const u of settings.unsupported) log.warn(`not supported, ignored: ${u}`);
    // Courier's start script runs `umask $IMAP_UMASK` before couriertcpd: every file the server
    // and its per-uid workers (spawned later, inheriting it) create gets it.
    if (settings.umask !== undefined) process.umask(settings.umask);
    const authenticator = await createAuthenticator({ configDir: o.configDir, env: { ...o.env }, log });
    try {
      const server = await createImapServer({ settings, log, authenticator });
      return {
        bound: server.bound,
        // SIGHUP: new settings for new connections when the files are sound, else certificates only.
        reload: async (next) => {
          if (next) {
            for (const u of next.unsupported) log.warn(`SIGHUP: not supported, ignored: ${u}`);
            if (next.umask !== settings.umask)
              log.warn('SIGHUP: IMAP_UMASK changed; it takes effect at the next restart');
          }
          await server.reload(next);
        },
        close: async () => {
          await server.close();
          await authenticator.close();
        },
      };
    } catch (err) {
      await authenticator.close();
      throw err;
    }
  },
});

export const { run: runCommand, start: startCommand, stop: stopCommand, restart: restartCommand } = daemon;

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
    // Like Courier's imapd: the process ends at LOGOUT, not when the peer closes stdin.
    process.stdin.destroy();
  }
  return 0;
};
