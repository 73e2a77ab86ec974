import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { binDir, repoRoot } from '../../support/paths.js';

export interface BinResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs bin/<program> as a child process (a real process, as a user would), from the repository root. */
export function runBin(
  program: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<BinResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(binDir, program), ...args],
      { cwd: repoRoot, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, timeout: 30_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
