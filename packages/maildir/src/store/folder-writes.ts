/**
 * STORE and EXPUNGE on a shared folder index (called inside `FolderIndex.serial`): the files are
 * renamed / unlinked, maildirsize and courierimapkeywords updated, and the index gets the new list.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { MaildirContext } from '../fs/context.js';
import { curName, parseName, sizeFromName } from '../message/filename.js';
import { sanitizeKeyword } from '../state/keyword-order.js';
import { writeKeywordUpdate } from '../state/keywords.js';
import { addQuotaLine, countsForQuota } from '../state/maildirsize.js';
import type { FlagMode, MaildirFlag } from '../types.js';
import { applyFlags, sameSet } from './flag-sets.js';
import type { FolderIndex } from './folder-index.js';
import { moveMessage, nextKeywords, renameFlags, unlinkMessage } from './message-files.js';
import { type MessageRecord, makeRecord } from './message-info.js';

/** Where the folder lives, for maildirsize lines. */
export interface QuotaPlace {
  /** Maildir root (INBOX), where maildirsize is. */
  readonly root: string;
  /** The Trash folder is outside the quota. */
  readonly isTrash: boolean;
}

/** Size for the quota of a message not measured yet (`,S=`, else stat). */
async function fileSize(curDir: string, key: string, filename: string): Promise<number> {
  const hint = sizeFromName(key);
  if (hint !== undefined) return hint;
  return stat(join(curDir, filename)).then(
    (st) => st.size,
    () => 0,
  );
}

/**
 * Courier's STORE: setting \Deleted (T) takes the message out of the quota (`-size -1`), clearing it
 * puts it back (`size 1`), one maildirsize line per message; EXPUNGE of a T message adds nothing.
 */
async function quotaForDeletedFlag(
  place: QuotaPlace,
  curDir: string,
  r: MessageRecord,
  filename: string,
): Promise<void> {
  const before = countsForQuota(r.filename);
  if (before === countsForQuota(filename) || place.isTrash) return;
  const size = await fileSize(curDir, r.key, filename);
  await addQuotaLine(place.root, before ? -size : size, before ? -1 : 1);
}

/** The name renameFlags gives `filename` when nobody else renamed it first (itself: no rename). */
function renamedTo(filename: string, mode: FlagMode, flags: readonly MaildirFlag[]): string {
  const p = parseName(filename);
  const next = applyFlags(mode, p.flags, flags);
  return sameSet(next, p.flags) ? filename : curName(p.key, next, p.otherFlags);
}

/**
 * The index's `locate`, for a change of ours that found the file renamed or gone: someone else
 * changed the folder, so its next sync looks at the disk.
 */
function locateForeign(index: FolderIndex): (key: string) => Promise<string | undefined> {
  return (key) => {
    index.changes.markDirty();
    return index.locate(key);
  };
}

/** Applies a flag/keyword change to these UIDs; returns the new records (recent false). */
export async function setFlagsIn(
  index: FolderIndex,
  ctx: MaildirContext,
  place: QuotaPlace,
  uids: readonly number[],
  mode: FlagMode,
  flags: readonly MaildirFlag[],
  keywords: readonly string[] | undefined,
): Promise<MessageRecord[]> {
  const kwList = keywords?.map((k) => index.canonicalKeyword(sanitizeKeyword(k))).filter((k) => k !== '');
  const curDir = join(index.path, 'cur');
  const locate = locateForeign(index);
  const out: MessageRecord[] = [];
  try {
    for (const uid of uids) {
      const r = index.find(uid);
      if (!r) continue;
      const planned = renamedTo(r.filename, mode, flags);
      if (planned !== r.filename) {
        index.changes.expect('cur', r.filename);
        index.changes.expect('cur', planned);
      }
      const filename = await renameFlags(curDir, r.filename, mode, flags, locate);
      if (filename !== planned) index.changes.markDirty();
      if (filename === undefined) continue; // expunged by someone else
      await quotaForDeletedFlag(place, curDir, r, filename);
      let kws: ReadonlySet<string> | readonly string[] = r.keywords;
      if (kwList !== undefined) {
        const next = nextKeywords(r.keywords, mode, kwList);
        if (!sameSet(new Set(next), r.keywords)) {
          // The next sync reads the keyword dir again (merging this update, as a Courier scan does).
          index.changes.markDirty();
          await writeKeywordUpdate(ctx, index.path, r.key, next);
          kws = next;
        }
      }
      out.push(
        filename === r.filename && kws === r.keywords
          ? r
          : makeRecord(index.interner, r.uid, filename, r, kws, false),
      );
    }
  } catch (err) {
    index.changes.markDirty();
    throw err;
  } finally {
    index.update(out);
  }
  return out;
}

/**
 * Unlinks (or moves to Trash) these UIDs; returns the UIDs removed, ascending. With `trash` the
 * files are renamed into that folder's cur/ with the T and D flags removed.
 */
export async function expungeIn(
  index: FolderIndex,
  place: QuotaPlace,
  uids: readonly number[],
  trash: { dir: string; isTrash: boolean } | undefined,
): Promise<number[]> {
  const removed = new Set<number>();
  const removedKeys: string[] = [];
  const quotaLines: number[] = [];
  const curDir = join(index.path, 'cur');
  const locate = locateForeign(index);
  try {
    for (const uid of uids) {
      const r = index.find(uid);
      if (!r || removed.has(uid)) continue;
      // Courier's size: `,S=`, else stat. \Deleted (T) messages left the quota at STORE time.
      const size = await fileSize(curDir, r.key, r.filename);
      index.changes.expect('cur', r.filename);
      const gone =
        trash && trash.dir !== index.path
          ? await moveMessage(curDir, join(trash.dir, 'cur'), r.filename, r.key, locate)
          : await unlinkMessage(curDir, r.filename, r.key, locate);
      if (gone !== r.filename) index.changes.markDirty();
      removed.add(r.uid);
      removedKeys.push(r.key);
      if (gone && countsForQuota(gone) && !(trash && !trash.isTrash)) quotaLines.push(size);
    }
    // One `-size -1` line per message, as Courier's STORE +FLAGS (\Deleted) before its EXPUNGE.
    if (!place.isTrash) for (const size of quotaLines) await addQuotaLine(place.root, -size, -1);
    index.pruneLater(removedKeys);
  } catch (err) {
    index.changes.markDirty();
    throw err;
  } finally {
    index.remove(removed);
  }
  return [...removed].sort((a, b) => a - b);
}
