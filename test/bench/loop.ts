// Timing helpers: every request loop in the bench is bounded in count AND time, and reports what it did.
import { performance } from 'node:perf_hooks';

export interface LoopBounds {
  /** Iterations at most. */
  readonly maxCount: number;
  /** Wall-clock budget; the loop stops after the iteration that crosses it. */
  readonly maxMs: number;
}

export interface LoopResult {
  readonly count: number;
  readonly elapsedMs: number;
  /** Per-iteration durations (ms). */
  readonly samples: readonly number[];
  /** True when the time budget, not the count, ended the loop. */
  readonly timedOut: boolean;
}

/** Run `body(i)` sequentially until maxCount iterations or maxMs elapsed; `body` returning false stops early. */
export async function boundedLoop(
  bounds: LoopBounds,
  body: (i: number) => Promise<unknown>,
): Promise<LoopResult> {
  const samples: number[] = [];
  const t0 = performance.now();
  let timedOut = false;
  for (let i = 0; i < bounds.maxCount; i++) {
    if (performance.now() - t0 >= bounds.maxMs) {
      timedOut = true;
      break;
    }
    const s = performance.now();
    const more = await body(i);
    // only an explicit false stops the loop
    samples.push(performance.now() - s);
    if (more === false) break;
  }
  return { count: samples.length, elapsedMs: performance.now() - t0, samples, timedOut };
}

/** Time one async call (ms). */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const s = performance.now();
  const value = await fn();
  return { ms: performance.now() - s, value };
}

export function median(xs: readonly number[]): number {
  return percentile(xs, 50);
}

export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

/** A promise that rejects after `ms` with a message naming `what` (for a single request that hangs). */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** Commands in flight for the pipelined measures (the same for every server). */
export const WINDOW = 16;

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * The servers in turn, `rounds` times, the order reversed each round (whichever goes first in a
 * measure taken one server after the other pays for the bench client's warm-up): [round, server].
 */
export function* alternating<T>(servers: readonly T[], rounds: number): Generator<[number, T]> {
  for (let round = 0; round < rounds; round++) {
    for (const s of round % 2 === 0 ? servers : [...servers].reverse()) yield [round, s];
  }
}
