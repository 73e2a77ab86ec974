import type { ChildProcess } from 'node:child_process';
import { constants, setPriority } from 'node:os';
import type { Logger } from 'pino';
import { stopChild } from './stop-child.js';
import type { ParentMessage, WorkerMessage } from './types.js';

export interface SpareOptions {
  /** Forks a worker process (not yet told whom it serves). */
  readonly spawn: () => ChildProcess;
  /** Handed to the session module's warm-up function (its sample session settings). */
  readonly arg: unknown;
  readonly log: Logger;
  /**
   * How long after a spare is taken the next one is started (ms; default 20 s): not in the middle
   * of the new account's first commands, which would share the CPU with the warm-up.
   */
  readonly replaceAfterMs?: number;
}

function renice(child: ChildProcess, priority: number): void {
  if (child.pid === undefined) return;
  try {
    setPriority(child.pid, priority);
  } catch {
    // Not permitted (an ordinary user cannot raise it back): the spare still works, at any priority.
  }
}

/**
 * One worker process kept ready before any login needs it, as Dovecot's `process_min_avail`: forked
 * and warmed up (its session code run on a private scratch maildir, at the lowest CPU priority, so
 * that its JIT-compiled code is ready) while it is still nobody's. The next account without a worker
 * takes it — it then drops to that account's uid/gid like any worker — and another spare is started
 * a little later.
 * The first login of an account costs neither Node's start-up (~0.4 s) nor cold code.
 */
export class SpareWorker {
  private readonly opts: SpareOptions;
  private child: ChildProcess | undefined;
  private closed = false;
  private replaceTimer: NodeJS.Timeout | undefined;

  constructor(options: SpareOptions) {
    this.opts = options;
  }

  /** Start the spare if there is none. */
  prepare(): void {
    if (this.closed || this.child) return;
    const child = this.opts.spawn();
    this.child = child;
    renice(child, constants.priority.PRIORITY_LOW);
    child.once('exit', (code, signal) => {
      if (this.child !== child) return;
      this.child = undefined;
      // Not restarted here (no fork loop): the next take() starts another.
      if (!this.closed) this.opts.log.warn({ code, signal }, 'spare session worker exited');
    });
    child.on('error', (err) => this.opts.log.error({ err }, 'spare session worker error'));
    child.on('message', (m: WorkerMessage) => {
      if (m.type === 'warmed' && this.child === child)
        this.opts.log.info(
          { pid: child.pid, ms: m.ms },
          `spare session worker ready (warmed up in ${m.ms} ms)`,
        );
    });
    child.send({ type: 'warm', arg: this.opts.arg } satisfies ParentMessage);
  }

  /** The spare (warm or still warming: it stops warming when told whom it serves); another one follows. */
  take(): ChildProcess | undefined {
    const child = this.child;
    this.child = undefined;
    const live = child?.connected === true && child.exitCode === null && child.signalCode === null;
    if (live) {
      child.removeAllListeners('exit');
      child.removeAllListeners('error');
      child.removeAllListeners('message');
      renice(child, constants.priority.PRIORITY_NORMAL);
    }
    if (this.replaceTimer === undefined) {
      this.replaceTimer = setTimeout(() => {
        this.replaceTimer = undefined;
        this.prepare();
      }, this.opts.replaceAfterMs ?? 20_000);
      this.replaceTimer.unref();
    }
    return live ? child : undefined;
  }

  /** No more spares; the current one exits (after removing its scratch maildir; killed after `graceMs`). */
  close(graceMs = 5000): Promise<void> {
    this.closed = true;
    if (this.replaceTimer) clearTimeout(this.replaceTimer);
    const child = this.child;
    this.child = undefined;
    return child ? stopChild(child, graceMs) : Promise.resolve();
  }
}
