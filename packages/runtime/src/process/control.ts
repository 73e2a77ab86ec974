import { spawn } from 'node:child_process';
import { open } from 'node:fs/promises';
import { isAlive, readPidFile, removePidFile } from './pidfile.js';

export type ControlResult =
  | { readonly ok: true; readonly pid?: number }
  | { readonly ok: false; readonly message: string };

export interface StartOptions {
  /** The command that runs the server in the foreground (e.g. [node, bin/pop3d, 'run', ...]). */
  readonly command: string;
  readonly args: readonly string[];
  readonly pidFile: string;
  /** Where the daemon's stderr (its log) goes; default /dev/null. */
  readonly logFile?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** How long to wait for the pid file to appear (ms). */
  readonly waitMs?: number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** `start`: spawn the foreground `run` detached; it writes the pid file once it listens. */
export async function startDaemon(o: StartOptions): Promise<ControlResult> {
  const old = await readPidFile(o.pidFile);
  if (old !== undefined && isAlive(old)) return { ok: false, message: `already running (pid ${old})` };
  await removePidFile(o.pidFile);
  const log = o.logFile ? await open(o.logFile, 'a') : undefined;
  const child = spawn(o.command, [...o.args], {
    detached: true,
    stdio: ['ignore', 'ignore', log ? log.fd : 'ignore'],
    env: o.env ?? process.env,
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.unref();
  await log?.close();
  const deadline = Date.now() + (o.waitMs ?? 10_000);
  while (Date.now() < deadline) {
    const pid = await readPidFile(o.pidFile);
    if (pid !== undefined) return { ok: true, pid };
    const code = await Promise.race([exited, sleep(50).then(() => undefined)]);
    if (code !== undefined) return { ok: false, message: `server exited during start (status ${code})` };
  }
  return { ok: false, message: `no pid file ${o.pidFile} after start` };
}

/** `stop`: SIGTERM to the pid in the pid file, then wait for the process to go away. */
export async function stopDaemon(pidFile: string, waitMs = 10_000): Promise<ControlResult> {
  const pid = await readPidFile(pidFile);
  if (pid === undefined || !isAlive(pid)) {
    await removePidFile(pidFile);
    return { ok: false, message: 'not running' };
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) {
      await removePidFile(pidFile);
      return { ok: true, pid };
    }
    await sleep(50);
  }
  return { ok: false, message: `pid ${pid} did not stop` };
}
