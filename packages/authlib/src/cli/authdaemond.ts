import { unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createAuthenticator } from '../authenticator.js';
import { startAuthdaemonServer } from '../daemon/server.js';
import { authdaemonSocketPath, loadAuthdaemonSettings } from '../settings.js';
import { cliLogger, describeConfigError, takeOwnOptions } from './common.js';

/**
 * `authdaemond [--config-dir DIR] [--verbose] [--socket PATH] [start]`: serve the authdaemond protocol in
 * the foreground until SIGTERM/SIGINT. (`stop` belongs to the service manager: we do not daemonize.)
 */
export async function authdaemondMain(args: string[], programName: string): Promise<number> {
  const env = process.env;
  const own = takeOwnOptions(args, env);
  let socketPath = authdaemonSocketPath(env);
  const rest = [...own.rest];
  let verbose = own.verbose;
  while (rest.length > 0) {
    const a = rest.shift()!;
    if (a === '--socket' && rest.length > 0) socketPath = rest.shift()!;
    else if (a === '--verbose') verbose = true;
    else if (a === 'start') continue;
    else {
      process.stderr.write(`Usage: ${programName} [--config-dir DIR] [--verbose] [--socket PATH] [start]\n`);
      return 1;
    }
  }
  const log = cliLogger(true, 'authdaemond');
  if (!verbose) log.level = 'info';
  let settings: Awaited<ReturnType<typeof loadAuthdaemonSettings>>;
  let authenticator: Awaited<ReturnType<typeof createAuthenticator>>;
  try {
    settings = await loadAuthdaemonSettings(own.configDir, env);
    // A daemon never delegates to an authdaemond (itself): the `authdaemon` module is left out.
    const modules = settings.authmodulelist.filter((m) => m !== 'authdaemon');
    authenticator = await createAuthenticator({ configDir: own.configDir, env, log, modules });
  } catch (err) {
    const msg = describeConfigError(err);
    if (msg === undefined) throw err;
    process.stderr.write(`${programName}: ${msg}\n`);
    return 1;
  }
  let server: Awaited<ReturnType<typeof startAuthdaemonServer>>;
  try {
    server = await startAuthdaemonServer({ authenticator, socketPath, log });
  } catch (err) {
    process.stderr.write(`${programName}: cannot listen on ${socketPath}: ${(err as Error).message}\n`);
    await authenticator.close();
    return 1;
  }
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
