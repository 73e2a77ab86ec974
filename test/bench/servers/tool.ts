// Run a shell tool (courier-reference, dovecot-private) whose daemons may inherit its stdout/stderr:
// output goes to a log file, not a pipe, and the call ends when the tool exits (not when every holder
// of its output has closed it, which for a daemon is never).
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

export interface ToolResult {
  readonly code: number | null;
  /** What the tool wrote during this call (from the log file). */
  readonly output: string;
}

export async function runTool(
  command: string,
  args: readonly string[],
  o: { readonly env: NodeJS.ProcessEnv; readonly log: string; readonly timeoutMs: number },
): Promise<ToolResult> {
  const before = (await readFile(o.log, 'utf8').catch(() => '')).length;
  const fd = openSync(o.log, 'a');
  try {
    const child = spawn(command, [...args], { env: o.env, stdio: ['ignore', fd, fd] });
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs);
      child.once('error', () => {
        clearTimeout(timer);
        resolve(127);
      });
      child.once('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    const output = (await readFile(o.log, 'utf8').catch(() => '')).slice(before);
    return { code, output };
  } finally {
    closeSync(fd);
  }
}
