/**
 * SORT (RFC 5256): ARRIVAL, CC, DATE, FROM, SIZE, SUBJECT, TO, each optionally REVERSE; messages
 * equal on every criterion stay in sequence order (RFC 5256; Courier puts them in descending order).
 */
import { compareText } from './base-subject.js';
import type { MessageMeta } from './message-meta.js';

export const SORT_KEYS = ['ARRIVAL', 'CC', 'DATE', 'FROM', 'SIZE', 'SUBJECT', 'TO'] as const;
export type SortKeyName = (typeof SORT_KEYS)[number];

export interface SortCriterion {
  readonly key: SortKeyName;
  readonly reverse: boolean;
}

/** `(REVERSE DATE SUBJECT)` items -> criteria; undefined when a key is unknown or REVERSE dangles. */
export function parseSortCriteria(words: readonly string[]): SortCriterion[] | undefined {
  const out: SortCriterion[] = [];
  let reverse = false;
  for (const w of words) {
    const u = w.toUpperCase();
    if (u === 'REVERSE') {
      if (reverse) return undefined;
      reverse = true;
      continue;
    }
    if (!(SORT_KEYS as readonly string[]).includes(u)) return undefined;
    out.push({ key: u as SortKeyName, reverse });
    reverse = false;
  }
  if (reverse || out.length === 0) return undefined;
  return out;
}

function compareBy(key: SortKeyName, a: MessageMeta, b: MessageMeta): number {
  switch (key) {
    case 'ARRIVAL':
      return a.msg.mtime.getTime() - b.msg.mtime.getTime();
    case 'DATE':
      return a.sentMs - b.sentMs;
    case 'SIZE':
      return a.msg.crlfSize - b.msg.crlfSize;
    case 'SUBJECT':
      return compareText(a.subjectKey, b.subjectKey);
    case 'FROM':
      return compareText(a.from, b.from);
    case 'TO':
      return compareText(a.to, b.to);
    case 'CC':
      return compareText(a.cc, b.cc);
  }
}

export function sortMessages(
  items: readonly MessageMeta[],
  criteria: readonly SortCriterion[],
): MessageMeta[] {
  return [...items].sort((a, b) => {
    for (const c of criteria) {
      const r = compareBy(c.key, a, b);
      if (r !== 0) return c.reverse ? -r : r;
    }
    return a.seq - b.seq;
  });
}
