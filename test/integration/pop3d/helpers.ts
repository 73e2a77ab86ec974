// Helpers shared by the pop3d integration tests: our server on free ports (bin/pop3d run), files in
// its maildir, a python client runner.
import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from '../../support/paths.js';
import { type RunningServer, type StartServerOptions, startServer } from '../../support/server.js';

export const POPLIB_CLIENT = join(repoRoot, 'test', 'integration', 'pop3d', 'poplib_client.py');

/** Our pop3d with the `pop3` fixture maildir, a short failed-login delay, and any extra pop3d lines. */
export async function startPop3d(
  extra: { pop3d?: readonly string[]; 'pop3d-ssl'?: readonly string[] } = {},
  more: Partial<StartServerOptions> = {},
): Promise<RunningServer> {
  const s = await startServer({
    kind: 'pop3d',
    maildir: { fixture: 'pop3' },
    extraConfig: {
      pop3d: ['COURIER_TS_LOGIN_FAIL_DELAY=100', ...(extra.pop3d ?? [])],
      'pop3d-ssl': extra['pop3d-ssl'] ?? [],
    },
    ...more,
  });
  if (s.status !== 'running') throw new Error(`pop3d not available: ${s.reason}`);
  return s;
}

export function runPython(
  args: readonly string[],
  timeoutMs = 60_000,
): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    execFile('python3', [...args], { timeout: timeoutMs }, (err, stdout, stderr) => {
      const code = err
        ? ((err as NodeJS.ErrnoException & { code?: number }).code as unknown as number) || 1
        : 0;
      resolve({ stdout, stderr, code });
    });
  });
}

export async function listDir(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}

export async function ownerOf(path: string): Promise<number> {
  return (await stat(path)).uid;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
