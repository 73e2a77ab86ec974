/** Which worker of a uid takes a new session (WorkerPool's placement rule, kept pure for its tests). */

export interface WorkerLoad {
  /** Sessions at work (not waiting on their client in IMAP IDLE). */
  readonly active: number;
  readonly sessions: number;
  /** Event-loop utilisation the worker last reported (0..1). */
  readonly elu: number;
}

export interface SpreadRule {
  /** Worker processes a uid may have. */
  readonly max: number;
  /** Sessions at work in a worker before another one is considered. */
  readonly spreadAt: number;
  /** ... and the event-loop utilisation above which that worker counts as busy. */
  readonly busyElu: number;
}

/**
 * The index of the worker for a new session, or `'new'` to start another one: the worker with the
 * fewest sessions at work (then the fewest sessions, then the oldest) takes it, unless even that one
 * is busy (`spreadAt` sessions at work and its event loop over `busyElu`) and the uid may have
 * another worker. Sessions waiting in IDLE cost memory, not CPU: they never start a process.
 */
export function pickWorker(workers: readonly WorkerLoad[], rule: SpreadRule): number | 'new' {
  let best = -1;
  for (let i = 0; i < workers.length; i++) {
    const w = workers[i]!;
    const b = workers[best];
    if (!b || w.active < b.active || (w.active === b.active && w.sessions < b.sessions)) best = i;
  }
  if (best < 0) return 'new';
  const b = workers[best]!;
  if (b.active >= rule.spreadAt && b.elu > rule.busyElu && workers.length < rule.max) return 'new';
  return best;
}
