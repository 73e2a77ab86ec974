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
/** A fresh maildir (cur/ new/ tmp/) in a temporary directory for `fn`, removed afterwards. */
export async function withMaildir(fn: (dir: string) => Promise<void>): Promise<void> {
  const { dir, cleanup } = await tempDir();
  try {
    await makeMaildir(dir);
    await fn(dir);
  } finally {
    await cleanup();
  }
}

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

/** Courier's cmpmsgs as first written (the reference for our sort): numeric prefix, then signed
 * bytes until both names reach `:`. */
export function referenceCmpmsgs(a: string, b: string): number {
  const na = Number.parseInt(a, 10) || 0;
  const nb = Number.parseInt(b, 10) || 0;
  if (na !== nb) return na < nb ? -1 : 1;
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  for (let i = 0; i < ab.length || i < bb.length; i++) {
    const ca = i < ab.length ? ab[i]! : 0;
    const cb = i < bb.length ? bb[i]! : 0;
    if (ca === 0x3a && cb === 0x3a) break;
    const sa = ca > 127 ? ca - 256 : ca;
    const sb = cb > 127 ? cb - 256 : cb;
    if (sa !== sb) return sa < sb ? -1 : 1;
  }
  return 0;
}
