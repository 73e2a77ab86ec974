/**
 * Courier's order for the new messages of a scan (compareNames: leading number, then the bytes of
 * the unique part), computed cheaply for the common case: cur/ comes back from readdir already in
 * that order (libuv sorts by bytes, and maildir names of one era have leading numbers of one
 * length), and new/ adds a few names. A sorted list is only checked, a short one sorted, and the
 * two merged, instead of sorting 10,000 names again.
 */
import { compareNames } from '../message/filename.js';

/** Leading decimal number of a name that starts with a digit (what atol gives), else NaN. */
function leadingDigits(name: string): number {
  let n = Number.NaN;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    n = i === 0 ? c : n * 10 + c;
  }
  return n;
}

function compareLead(a: string, na: number, b: string, nb: number): number {
  return na !== nb && !Number.isNaN(na) && !Number.isNaN(nb) ? na - nb : compareNames(a, b);
}

/** compareNames, computing each name's leading number first (exactly its order). */
export function compareCourier(a: string, b: string): number {
  return compareLead(a, leadingDigits(a), b, leadingDigits(b));
}

/**
 * Sorts in place in Courier's order, computing each name's leading number once instead of twice
 * per comparison; a list already in order is left as it is after one pass.
 */
export function sortNames(names: string[]): void {
  const lead = names.map(leadingDigits);
  let sorted = true;
  for (let i = 1; i < names.length && sorted; i++)
    sorted = compareLead(names[i - 1]!, lead[i - 1]!, names[i]!, lead[i]!) <= 0;
  if (sorted) return;
  const order = names.map((_, i) => i);
  order.sort((i, j) => compareLead(names[i]!, lead[i]!, names[j]!, lead[j]!) || i - j);
  const copy = names.slice();
  for (let k = 0; k < order.length; k++) names[k] = copy[order[k]!]!;
}

/**
 * Two lists in Courier's order as one (stable: on a tie, `a` first, as sorting `a` then `b`
 * together would give). Each name of the shorter `b` finds its place by binary search. With `b`
 * empty, `a` itself.
 */
export function mergeNames(a: readonly string[], b: readonly string[]): readonly string[] {
  if (b.length === 0) return a;
  const out: string[] = [];
  let from = 0;
  for (const name of b) {
    let lo = from;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareCourier(a[mid]!, name) <= 0) lo = mid + 1;
      else hi = mid;
    }
    for (let i = from; i < lo; i++) out.push(a[i]!);
    out.push(name);
    from = lo;
  }
  for (let i = from; i < a.length; i++) out.push(a[i]!);
  return out;
}
