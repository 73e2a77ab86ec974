import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MaildirLogger } from '@courier-ts/maildir';

/** A fresh directory under the OS temp dir; removed by the returned cleanup. */
export async function tempDir(
  prefix = 'maildir-test-',
): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A bare maildir (tmp, new, cur) at `path`. */
export async function makeMaildir(path: string): Promise<void> {
  for (const sub of ['', 'tmp', 'new', 'cur']) await mkdir(join(path, sub), { recursive: true, mode: 0o700 });
}

/** Delivers like an MTA: file in new/ (or cur/ with a given name). */
export async function put(path: string, sub: 'new' | 'cur', name: string, body: string): Promise<void> {
  await writeFile(join(path, sub, name), body);
}

export interface CapturedLog extends MaildirLogger {
  readonly lines: Array<{ level: string; obj: object; msg?: string }>;
}

/** Logger that records every call; tests fail on unexpected error-level lines. */
export function captureLog(): CapturedLog {
  const lines: Array<{ level: string; obj: object; msg?: string }> = [];
  const at =
    (level: string) =>
    (obj: object, msg?: string): void => {
      lines.push({ level, obj, ...(msg === undefined ? {} : { msg }) });
    };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const FIXED_NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
