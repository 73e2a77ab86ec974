/** Courier-IMAP compatible maildir lock: dot-lock `tmp/courier.lock` containing `<pid>:<host>`. */
import { link, open, readFile, stat, unlink } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TemporarilyUnavailableError } from '../errors.js';
import { tmpName } from '../message/unique-name.js';
import type { MaildirContext } from './context.js';

/** A lock older than this is stale (seconds), as maildir_lock's ll_dotlock(..., 120). */
const STALE_SECONDS = 120;

export interface LockOptions {
  /** Give up after this many ms (default 130 s: longer than the stale timeout). */
  readonly timeoutMs?: number;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

async function breakIfStale(lockPath: string, myHost: string, nowMs: number): Promise<boolean> {
  let text: string;
  let mtimeMs: number;
  try {
    text = await readFile(lockPath, 'latin1');
    mtimeMs = (await stat(lockPath)).mtimeMs;
  } catch {
    return true; // vanished: retry at once
  }
  const colon = text.indexOf(':');
  const pid = Number.parseInt(text, 10);
  const sameHost = colon >= 0 && text.slice(colon + 1) === myHost;
  const dead = sameHost && pid > 0 && pid !== process.pid && !processAlive(pid);
  if (dead || mtimeMs < nowMs - STALE_SECONDS * 1000) {
    await unlink(lockPath).catch(() => {});
    return true;
  }
  return false;
}

/** Takes the folder's lock, runs fn, releases the lock. */
export async function withMaildirLock<T>(
  ctx: MaildirContext,
  folderDir: string,
  fn: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const lockPath = join(folderDir, 'tmp', 'courier.lock');
  const host = osHostname();
  const id = `${process.pid}:${host}`;
  const deadline = Date.now() + (options.timeoutMs ?? 130_000);
  let delay = 5;
  for (;;) {
    const tmp = join(folderDir, 'tmp', tmpName(ctx.unique('courierlock')));
    const fh = await open(tmp, 'wx', 0o644);
    try {
      await fh.writeFile(id);
    } finally {
      await fh.close();
    }
    let got = false;
    try {
      await link(tmp, lockPath);
      got = (await stat(tmp)).nlink === 2;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        await unlink(tmp).catch(() => {});
        throw new TemporarilyUnavailableError(`cannot lock ${folderDir}`, { cause: err });
      }
    }
    await unlink(tmp).catch(() => {});
    if (got) break;
    if (await breakIfStale(lockPath, host, Date.now())) continue;
    if (Date.now() > deadline) throw new TemporarilyUnavailableError(`maildir lock busy: ${folderDir}`);
    await sleep(delay);
    delay = Math.min(delay * 2, 200);
  }
  try {
    return await fn();
  } finally {
    try {
      if ((await readFile(lockPath, 'latin1')) === id) await unlink(lockPath);
    } catch {
      // already gone
    }
  }
}
