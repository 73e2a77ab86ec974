/** A session's view of a shared folder index: \Recent marks, and what changed between two views. */
import type { MessageInfo, SyncChanges } from '../types.js';
import { type MessageRecord, sameSet } from './message-info.js';
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
