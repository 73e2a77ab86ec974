/**
 * The sampling loop around IdleCollector, for both kinds of server process: the listening process
 * and the session workers. Every `everyMs` it measures the event-loop utilisation since the last
 * sample, hands it to `onSample` (a worker reports it as its load), and collects the garbage when
 * the collector's rule says so.
 */
import { performance } from 'node:perf_hooks';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { IdleCollector, type IdleCollectorOptions } from '../privilege/idle-collector.js';

export interface IdleGcOptions {
  readonly everyMs: number;
  /** Told after each collection, e.g. `idle session worker collected its garbage: heap 56.1 -> 24.4 MB`. */
  readonly collected: (text: string) => void;
  /** Who collects, for that text. */
  readonly who: string;
  /** Every sample's event-loop utilisation. */
  readonly onSample?: (elu: number) => void;
  /** Heap in use to count growth from (default: now). */
  readonly baseline?: number;
  readonly collector?: IdleCollectorOptions;
  /** The collection function (default: processGc()). */
  readonly gc?: () => void;
}

const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);

/**
 * This process's gc(): the one `--expose-gc` gave it, else one exposed now (the flag is read when a
 * context is made, so a new context's global has it).
 */
export function processGc(): () => void {
  const given = (globalThis as { gc?: () => void }).gc;
  if (given) return given;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Starts the loop (its timer does not keep the process alive); returns a function that stops it. */
export function collectWhenIdle(o: IdleGcOptions): () => void {
  // Exposed at the first collection, not at start: making gc() creates and drops a V8 context,
  // which V8 takes as a hint to collect (it resets its limits and starts its memory reducer). Made
  // at start, 7-12 MB were freed in the middle of the bench's first SELECT, twice, and that SELECT
  // took 77 and 89 ms instead of 40-65.
  let gc = o.gc;
  const collector = new IdleCollector(o.baseline ?? getHeapStatistics().used_heap_size, o.collector);
  let last = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const elu = performance.eventLoopUtilization(performance.eventLoopUtilization(), last).utilization;
    o.onSample?.(elu);
    const heap = getHeapStatistics().used_heap_size;
    if (collector.sample(performance.now(), elu, heap)) {
      gc ??= processGc();
      gc();
      const left = getHeapStatistics().used_heap_size;
      collector.collected(left);
      o.collected(`${o.who} collected its garbage: heap ${mb(heap)} -> ${mb(left)} MB`);
    }
    // After the collection: its own time is not the load.
    last = performance.eventLoopUtilization();
  }, o.everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
