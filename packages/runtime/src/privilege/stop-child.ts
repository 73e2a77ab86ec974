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
    // A worker exiting on its own (its init failed) may still look connected: the message then
    // fails (EPIPE), reported here rather than as an 'error' of the child.
    if (child.connected)
      child.send({ type: 'shutdown' } satisfies ParentMessage, (err) => {
        if (err) child.kill('SIGTERM');
      });
    else child.kill('SIGTERM');
  });
}
