/**
 * A session's \Recent UIDs. A scan gives out consecutive UIDs above all earlier ones, so they are
 * kept as ranges (the 100,000 messages of a first open are one range, not a set of 100,000
 * numbers), minus the ones expunged since; anything else (a uiddb rebuilt, UIDs from 1 again) goes
 * to a plain set.
 */

/** UIDs from..to-1 (none when to <= from). */
export interface UidRun {
  readonly from: number;
  readonly to: number;
}

/** What a view needs to know about its \Recent UIDs. */
export interface RecentLookup {
  has(uid: number): boolean;
  readonly size: number;
  /** Changes whenever the set does: a view made for one version holds for it. */
  readonly version: number;
}

export class RecentUids implements RecentLookup {
  /** [from, to) pairs, ascending and apart. */
  private readonly ranges: number[] = [];
  /** UIDs outside the ranges. */
  private readonly extra = new Set<number>();
  /** UIDs of the ranges or `extra` that are no longer \Recent (expunged). */
  private readonly gone = new Set<number>();
  private count = 0;
  private changes = 0;

  get size(): number {
    return this.count;
  }

  get version(): number {
    return this.changes;
  }

  /** Adds UIDs handed out by one scan (runs of consecutive UIDs become ranges). */
  addAll(uids: readonly number[]): void {
    let i = 0;
    while (i < uids.length) {
      let j = i + 1;
      while (j < uids.length && uids[j] === uids[j - 1]! + 1) j++;
      this.addRun(uids[i]!, uids[j - 1]! + 1);
      i = j;
    }
  }

  /** Adds the UIDs from..to-1. */
  addRun(from: number, to: number): void {
    if (to <= from) return;
    this.changes++;
    const n = this.ranges.length;
    const end = n === 0 ? Number.NEGATIVE_INFINITY : this.ranges[n - 1]!;
    if (this.extra.size === 0 && from >= end) {
      if (from === end) this.ranges[n - 1] = to;
      else this.ranges.push(from, to);
      this.count += to - from;
      return;
    }
    for (let u = from; u < to; u++) {
      if (this.gone.delete(u)) this.count++;
      else if (!this.inRanges(u) && !this.extra.has(u)) {
        this.extra.add(u);
        this.count++;
      }
    }
  }

  private inRanges(uid: number): boolean {
    let lo = 0;
    let hi = this.ranges.length / 2 - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (uid < this.ranges[2 * mid]!) hi = mid - 1;
      else if (uid >= this.ranges[2 * mid + 1]!) lo = mid + 1;
      else return true;
    }
    return false;
  }

  has(uid: number): boolean {
    return (this.inRanges(uid) || this.extra.has(uid)) && !this.gone.has(uid);
  }

  delete(uid: number): void {
    if (!this.has(uid)) return;
    this.changes++;
    this.gone.add(uid);
    this.count--;
  }
}
