/**
 * The keywords in use in a folder's lists: the first spelling of each (keywords are
 * case-insensitive), and per list the counts in Courier's order (computed once per list; a list
 * without any keyword, the usual case, gets its empty counts without a pass over 100,000 records).
 */
import { compareKeywordsForList } from '../state/keyword-order.js';
import type { MessageRecord } from './message-info.js';

const NO_COUNTS: ReadonlyMap<string, number> = new Map();

export class KeywordStats {
  private spellings = new Map<string, string>();
  private readonly countsByList = new WeakMap<readonly MessageRecord[], ReadonlyMap<string, number>>();

  /** `records` is the folder's list now: the spellings of its keywords (first ones kept). */
  learn(records: readonly MessageRecord[]): void {
    const spellings = new Map<string, string>();
    for (const r of records) {
      if (r.keywords.size === 0) continue;
      for (const k of r.keywords) {
        const lk = k.toLowerCase();
        if (!spellings.has(lk)) spellings.set(lk, this.spellings.get(lk) ?? k);
      }
    }
    this.spellings = spellings;
    if (spellings.size === 0) this.countsByList.set(records, NO_COUNTS);
  }

  /** `copy` holds the records of `of` with other \Recent marks only (the same keywords). */
  sameKeywords(copy: readonly MessageRecord[], of: readonly MessageRecord[]): void {
    const counts = this.countsByList.get(of);
    if (counts && copy !== of) this.countsByList.set(copy, counts);
  }

  /** Keyword spelling already in use in this folder. */
  canonical(k: string): string {
    return this.spellings.get(k.toLowerCase()) ?? k;
  }

  /** Keywords in use in `list` with their counts, in Courier's order. */
  counts(list: readonly MessageRecord[]): ReadonlyMap<string, number> {
    let counts = this.countsByList.get(list);
    if (!counts) {
      const byLower = new Map<string, { name: string; count: number }>();
      for (const r of list) {
        if (r.keywords.size === 0) continue;
        for (const k of r.keywords) {
          const lk = k.toLowerCase();
          const c = byLower.get(lk);
          if (c) c.count++;
          else byLower.set(lk, { name: this.spellings.get(lk) ?? k, count: 1 });
        }
      }
      const all = [...byLower.values()].sort((a, b) => compareKeywordsForList(a.name, b.name));
      counts = new Map(all.map((c) => [c.name, c.count]));
      this.countsByList.set(list, counts);
    }
    return counts;
  }
}
