import { readFile, unlink, writeFile } from 'node:fs/promises';
import { RuntimeError } from '../errors.js';

export async function writePidFile(path: string, pid: number): Promise<void> {
  try {
    await writeFile(path, `${pid}\n`, { mode: 0o644 });
  } catch (err) {
    throw new RuntimeError('PIDFILE', `cannot write ${path}`, { cause: err });
  }
}

/** The pid recorded in the file, or undefined when missing/garbled. */
export async function readPidFile(path: string): Promise<number | undefined> {
  try {
    const n = Number.parseInt((await readFile(path, 'utf8')).trim(), 10);
    return Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

export async function removePidFile(path: string): Promise<void> {
  await unlink(path).catch(() => {});
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
