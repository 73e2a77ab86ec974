import { unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createAuthenticator } from '../authenticator.js';
import { startAuthdaemonServer } from '../daemon/server.js';
import { authdaemonSocketPath, loadAuthdaemonSettings } from '../settings.js';
import { cliLogger, takeOwnOptions } from './common.js';

/**
 * `authdaemond [--config-dir DIR] [--verbose] [--socket PATH] [start]`: serve the authdaemond protocol in
 * the foreground until SIGTERM/SIGINT. (`stop` belongs to the service manager: we do not daemonize.)
 */
export async function authdaemondMain(args: string[], programName: string): Promise<number> {
  const env = process.env;
  const own = takeOwnOptions(args, env);
  let socketPath = authdaemonSocketPath(env);
  const rest = [...own.rest];
  while (rest.length > 0) {
    const a = rest.shift()!;
    if (a === '--socket' && rest.length > 0) socketPath = rest.shift()!;
    else if (a === 'start') continue;
    else {
      process.stderr.write(`Usage: ${programName} [--config-dir DIR] [--verbose] [--socket PATH] [start]\n`);
      return 1;
    }
  }
  const log = cliLogger(true, 'authdaemond');
  if (!own.verbose) log.level = 'info';
  const settings = await loadAuthdaemonSettings(own.configDir, env);
  const authenticator = await createAuthenticator({
    configDir: own.configDir,
    env,
    log,
    authdaemonSocket: '',
  });
  const server = await startAuthdaemonServer({ authenticator, socketPath, log });
  const pidFile = join(dirname(socketPath), 'pid');
  await writeFile(pidFile, `${process.pid}\n`).catch(() => undefined);
  log.info(`modules="${authenticator.modules.join(' ')}", daemons=${settings.daemons}`);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  log.info('stopping');
  await server.close();
  await authenticator.close();
  await unlink(pidFile).catch(() => undefined);
  return 0;
}
