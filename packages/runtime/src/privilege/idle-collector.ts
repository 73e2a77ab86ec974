/**
 * When a server process collects its garbage itself. Session workers run without V8's memory
 * reducer (worker-pool.ts says why), so a worker that has served a burst and gone quiet would
 * otherwise keep the burst's garbage until allocation triggers a collection, which in a process of
 * idle sessions may be never. The listening process has the reducer, but V8 starts it only after a
 * full collection, and a burst of logins makes none: 200 logins left it 5-8 MB it never gave back.
 *
 * The rule: collect once the worker has been quiet (event-loop utilisation under `quietElu` in
 * every sample) for `quietMs`, and only when its heap grew by at least `growthBytes` since the last
 * collection, so that a quiet worker collects once, not at every interval. The quiet time is long
 * on purpose: a collection also throws away the code compiled for objects that are garbage by
 * then, and a client's pause between two commands or two sessions must not cost that.
 */
export interface IdleCollectorOptions {
  readonly quietMs: number;
  readonly growthBytes: number;
  readonly quietElu: number;
}

export const IDLE_COLLECTOR_DEFAULTS: IdleCollectorOptions = {
  quietMs: 60_000,
  // Measured: 200 logins into idle IDLE sessions grew the listening process's heap by under 3 MB;
  // with the former 8 MB, that garbage (and the worker's) stayed for good.
  growthBytes: 1024 * 1024,
  quietElu: 0.01,
};

export class IdleCollector {
  private readonly opts: IdleCollectorOptions;
  private quietSince: number | undefined;
  /** Heap in use just after the last collection (or when the collector started). */
  private baseline: number;

  constructor(heapUsed: number, options: IdleCollectorOptions = IDLE_COLLECTOR_DEFAULTS) {
    this.opts = options;
    this.baseline = heapUsed;
  }

  /** One sample of the worker's load; true when it should collect now (then call collected()). */
  sample(now: number, elu: number, heapUsed: number): boolean {
    if (elu >= this.opts.quietElu) {
      this.quietSince = undefined;
      return false;
    }
    this.quietSince ??= now;
    return now - this.quietSince >= this.opts.quietMs && heapUsed - this.baseline >= this.opts.growthBytes;
  }

  /** The worker collected; `heapUsed` is what is left. */
  collected(heapUsed: number): void {
    this.baseline = heapUsed;
    this.quietSince = undefined;
  }
}
