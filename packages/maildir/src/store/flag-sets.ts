/** Flag and keyword sets: STORE's set / add / remove, and equality. */

export function applyFlags<T extends string>(
  mode: 'set' | 'add' | 'remove',
  current: ReadonlySet<T>,
  change: Iterable<T>,
): Set<T> {
  if (mode === 'set') return new Set(change);
  const out = new Set(current);
  for (const f of change) {
    if (mode === 'add') out.add(f);
    else out.delete(f);
  }
  return out;
}

export function sameSet<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}
