import type { ChildProcess } from 'node:child_process';
import type { ParentMessage } from './types.js';

/** Ask a worker process to end its sessions and exit; SIGKILL after `graceMs`. Resolves at its exit. */
export function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    if (child.connected) child.send({ type: 'shutdown' } satisfies ParentMessage);
    else child.kill('SIGTERM');
  });
}
