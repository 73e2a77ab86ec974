/** "Did you mean" for unknown keys: the closest known key by edit distance, or a case-only match. */

/** Levenshtein distance (insert, delete, substitute, and adjacent transposition count 1). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The known key an unknown key was probably meant to be: a case-insensitive match first, else the nearest
 * key within a distance of max(1, min(3, length/4)) compared case-insensitively. Undefined when nothing is close.
 */
export function suggestKey(unknown: string, known: Iterable<string>): string | undefined {
  const lower = unknown.toLowerCase();
  const limit = Math.max(1, Math.min(3, Math.floor(unknown.length / 4)));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const k of known) {
    if (k.toLowerCase() === lower) return k;
    const dist = editDistance(lower, k.toLowerCase());
    if (dist <= limit && dist < bestDistance) {
      best = k;
      bestDistance = dist;
    }
  }
  return best;
}
