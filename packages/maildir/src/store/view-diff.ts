/** A session's view of a shared folder index: \Recent marks, and what changed between two views. */
import type { MessageInfo, SyncChanges } from '../types.js';
import { sameSet } from './flag-sets.js';
import { indexOfUid, type MessageRecord } from './message-info.js';
import type { RecentLookup } from './recent-uids.js';

/**
 * The index's list as this session sees it: the same array when none of its messages is \Recent
 * here (views share it), else a copy with this session's \Recent records.
 */
export function patchView(
  list: readonly MessageRecord[],
  recent: RecentLookup | undefined,
): readonly MessageRecord[] {
  if (!recent || recent.size === 0) return list;
  let out: MessageRecord[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const r = list[i]!;
    const want = recent.has(r.uid);
    if (r.recent === want) continue;
    out ??= list.slice();
    out[i] = r.withRecent(want);
  }
  return out ?? list;
}

/**
 * A session's view `a` holds the index's records `b` (apart from \Recent marks): the same messages,
 * names, keywords and details, so the view can take the index's list again without reporting.
 */
export function sameRecords(a: readonly MessageRecord[], b: readonly MessageRecord[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (x.uid !== y.uid || x.filename !== y.filename || x.keywords !== y.keywords) return false;
    if (x.measured !== y.measured) return false;
  }
  return true;
}

/**
 * A view that differs from the index (changes not reported yet) after a change of its own session:
 * a copy without the `removed` UIDs, with `records` (\Recent as `recent` says) in place of theirs.
 */
export function patchOwn(
  view: readonly MessageRecord[],
  records: readonly MessageRecord[],
  removed: ReadonlySet<number> | undefined,
  recent: RecentLookup | undefined,
): MessageRecord[] {
  const next = removed && removed.size > 0 ? view.filter((r) => !removed.has(r.uid)) : [...view];
  for (const r of records) {
    const i = indexOfUid(next, r.uid);
    if (i >= 0) next[i] = r.withRecent(recent?.has(r.uid) ?? false);
  }
  return next;
}

/** Added, expunged and re-flagged messages between two UID-ordered views of one folder. */
export function diffViews(
  before: readonly MessageRecord[],
  after: readonly MessageRecord[],
): Omit<SyncChanges, 'keywordsChanged'> {
  const added: MessageInfo[] = [];
  const expunged: number[] = [];
  const flagsChanged: MessageInfo[] = [];
  if (before === after) return { added, expunged, flagsChanged };
  let i = 0;
  let j = 0;
  while (i < before.length || j < after.length) {
    const o = before[i];
    const n = after[j];
    if (n === undefined || (o !== undefined && o.uid < n.uid)) {
      expunged.push(o!.uid);
      i++;
    } else if (o === undefined || n.uid < o.uid) {
      added.push(n);
      j++;
    } else {
      if (o !== n && (o.flagInfo.flags !== n.flagInfo.flags || o.keywords !== n.keywords)) {
        if (!sameSet(o.flags, n.flags) || !sameSet(o.keywords, n.keywords)) flagsChanged.push(n);
      }
      i++;
      j++;
    }
  }
  return { added, expunged, flagsChanged };
}
