// Actions of `pop3d start|stop|restart|run|preauth`, called by the commander program in ./index.ts.
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
import { courierMaildropOpener } from '../maildrop-opener.js';
import { runPreauth } from '../preauth.js';
import { createPop3Server } from '../server.js';
import { type Pop3dSettings, resolvePop3dSettings } from '../settings.js';

async function loadSettings(o: ServerCommandContext): Promise<{ settings: Pop3dSettings; errors: string[] }> {
  const cfg = await loadServerConfig({ server: 'pop3d', configDir: o.configDir, env: o.env });
  const errors = cfg.problems.filter((p) => p.severity === 'error').map((p) => p.message);
  const environment = { ...cfg.environment(), ...o.env };
  return { settings: resolvePop3dSettings(cfg, environment), errors };
}

const daemon = daemonCommands<Pop3dSettings>({
  program: 'pop3d',
  load: loadSettings,
  async open(o, settings, log) {
    const authenticator = await createAuthenticator({ configDir: o.configDir, env: { ...o.env }, log });
    try {
      const server = await createPop3Server({ settings, log, authenticator });
      return {
        bound: server.bound,
        // SIGHUP: new settings for new connections when the files are sound, else certificates only.
        reload: (next) => server.reload(next),
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

/** `preauth [MAILDIR]`: one pre-authenticated session on stdin/stdout. */
export const preauthCommand: ServerCommand = async (o) => {
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
      openMaildrop: courierMaildropOpener(),
      cwd: process.cwd(),
      signal: ac.signal,
    });
  } finally {
    process.off('SIGTERM', onTerm);
    // Like courierpop3d, exit after QUIT even if the other side keeps its end open.
    process.stdin.destroy();
  }
  return 0;
};
