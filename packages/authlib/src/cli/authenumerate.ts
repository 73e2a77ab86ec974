import { createAuthenticator } from '../authenticator.js';
import { callAuthdaemon, resolveClientTimeouts } from '../daemon/client.js';
import { ENUMERATE_CALL, ENUMERATE_REQUEST, parseEnumerateReply } from '../daemon/client-module.js';
import { authdaemonSocketPath } from '../settings.js';
import type { EnumeratedAccount } from '../types.js';
import { cliLogger, describeConfigError, takeOwnOptions } from './common.js';

/** `authenumerate [-s] [-o]`: `name\tuid\tgid\thome\tmaildir[\toptions]` per account. */
export async function authenumerateMain(args: string[], _programName: string): Promise<number> {
  const env = process.env;
  const own = takeOwnOptions(args, env);
  let withOptions = false;
  for (const a of own.rest) {
    if (a === '-o') withOptions = true;
    else if (a === '-s') continue;
    else {
      process.stderr.write('Usage: authenumerate [-s] [-o]\n');
      return 1;
    }
  }
  const log = cliLogger(own.verbose, 'authenumerate');
  // `authenumerate | head`: a closed pipe ends the listing quietly.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
  });
  const useDaemon = !own.configDirGiven || env.AUTHDAEMON_SOCKET !== undefined;
  const socketPath = authdaemonSocketPath(env);
  let source: AsyncIterable<EnumeratedAccount> | undefined;
  let close = async (): Promise<void> => undefined;
  if (useDaemon) {
    const r = await callAuthdaemon(socketPath, ENUMERATE_REQUEST, {
      timeouts: resolveClientTimeouts(env),
      ...ENUMERATE_CALL,
    });
    if (r.kind === 'eio') {
      process.stderr.write('authenumerate: authdaemon: Input/output error\n');
      return 1;
    }
    if (r.kind === 'reply') source = toAsync(parseEnumerateReply(r.text));
  }
  if (!source) {
    let auth: Awaited<ReturnType<typeof createAuthenticator>>;
    try {
      auth = await createAuthenticator({ configDir: own.configDir, env, log });
    } catch (err) {
      const msg = describeConfigError(err);
      if (msg === undefined) throw err;
      process.stderr.write(`authenumerate: ${msg}\n`);
      return 1;
    }
    source = auth.enumerate();
    close = () => auth.close();
  }
  try {
    for await (const e of source) {
      if (e.uid === 0 || e.gid === 0) continue;
      let line = `${e.name}\t${e.uid}\t${e.gid}\t${e.home}\t${e.maildir ?? ''}`;
      if (withOptions) line += `\t${e.options ?? ''}`;
      process.stdout.write(`${line}\n`);
    }
  } finally {
    await close();
  }
  return 0;
}

async function* toAsync<T>(items: readonly T[]): AsyncIterable<T> {
  yield* items;
}
