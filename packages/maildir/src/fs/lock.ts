/**
 * Courier-IMAP compatible maildir lock: dot-lock `tmp/courier.lock` containing `<pid>:<host>`.
 * Callers of one process queue in memory first (one turn per lock path, first come first served),
 * so a session waiting for another session of this process starts as soon as it is done instead
 * of sleeping out a retry delay; the dot-lock itself is still taken for other processes.
 */
import { link, open, readFile, stat, unlink } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { join, resolve } from 'node:path';
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

/**
 * Waits for this process's earlier callers on `lockPath` (the turn queue in the process's
 * MaildirSharing: per lock path, the promise the last caller's turn ends with; entries go when
 * their queue empties); resolves to the function ending our turn.
 */
async function takeTurn(
  turns: Map<string, Promise<void>>,
  lockPath: string,
  deadline: number,
  folderDir: string,
): Promise<() => void> {
  const previous = turns.get(lockPath);
  let end!: () => void;
  const mine = new Promise<void>((r) => {
    end = r;
  });
  const tail = previous ? previous.then(() => mine) : mine;
  turns.set(lockPath, tail);
  const release = (): void => {
    end();
    // Forgotten once nobody queued behind us (tail settles after every earlier turn too).
    void tail.then(() => {
      if (turns.get(lockPath) === tail) turns.delete(lockPath);
    });
  };
  if (!previous) return release;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((r) => {
    timer = setTimeout(() => r(true), Math.max(0, deadline - Date.now()));
  });
  try {
    if (await Promise.race([previous.then(() => false), timedOut])) {
      release(); // our place in the queue passes on as soon as the earlier callers are done
      throw new TemporarilyUnavailableError(`maildir lock busy: ${folderDir}`);
    }
  } finally {
    clearTimeout(timer);
  }
  return release;
}

/** Takes the folder's lock, runs fn, releases the lock. */
export async function withMaildirLock<T>(
  ctx: MaildirContext,
  folderDir: string,
  fn: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const lockPath = resolve(folderDir, 'tmp', 'courier.lock');
  const deadline = Date.now() + (options.timeoutMs ?? 130_000);
  const endTurn = await takeTurn(ctx.sharing.lockTurns, lockPath, deadline, folderDir);
  try {
    return await withFileLock(ctx, folderDir, lockPath, deadline, fn);
  } finally {
    endTurn();
  }
}

/** The dot-lock proper (other processes: Courier, other workers), retried with growing sleeps. */
async function withFileLock<T>(
  ctx: MaildirContext,
  folderDir: string,
  lockPath: string,
  deadline: number,
  fn: () => Promise<T>,
): Promise<T> {
  const host = osHostname();
  const id = `${process.pid}:${host}`;
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
