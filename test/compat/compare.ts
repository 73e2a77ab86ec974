// Comparison of two normalised results (Courier's and ours, or a recording and a fresh run), with the
// scenario's intentional deviations taken out first. Deviations that match nothing are reported, so
// they are removed once the difference is gone.

import { unifiedDiff } from './diff.js';
import type { Deviation } from './scenario.js';

export interface Comparison {
  readonly equal: boolean;
  readonly diff: string;
  /** Deviations that matched no line on either side. */
  readonly unusedDeviations: readonly Deviation[];
  /** Lines left out per deviation (for the test's diagnostics). */
  readonly applied: ReadonlyArray<{ readonly deviation: Deviation; readonly lines: number }>;
}

export function compareLines(
  reference: readonly string[],
  actual: readonly string[],
  deviations: readonly Deviation[] = [],
  labels: readonly [string, string] = ['courier', 'courier-ts'],
): Comparison {
  const counts = new Map<Deviation, number>(deviations.map((d) => [d, 0]));
  const count = (d: Deviation): void => {
    counts.set(d, (counts.get(d) ?? 0) + 1);
  };
  const drops = deviations.filter((d) => d.replacement === undefined);
  const rewrites = deviations.filter((d) => d.replacement !== undefined);
  const rewrite = (line: string): string => {
    let out = line;
    for (const d of rewrites) {
      const next = out.replace(d.pattern, d.replacement!);
      if (next !== out) count(d);
      out = next;
    }
    return out;
  };
  const keep = (line: string): boolean => {
    for (const d of drops) {
      if (d.pattern.test(line)) {
        count(d);
        return false;
      }
    }
    return true;
  };
  const a = reference.filter(keep);
  const b = actual.map(rewrite).filter(keep);
  const diff = unifiedDiff(a, b, labels[0], labels[1]);
  return {
    equal: diff === '',
    diff,
    unusedDeviations: deviations.filter((d) => counts.get(d) === 0),
    applied: deviations.map((d) => ({ deviation: d, lines: counts.get(d) ?? 0 })),
  };
}
