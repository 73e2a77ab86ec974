/**
 * The cheap check that spares a full scan after changes of our own (STORE renames, EXPUNGE
 * unlinks) when the watches (folder-changes.ts) cannot tell: on a network file system, or after
 * their trust window. cur/ and new/ are listed and compared with the index's file names. When new/ is empty
 * and cur/ holds exactly the index's files, with courierimapuiddb and the keyword dir untouched
 * since the last full scan, a full scan would give back the same list: the uiddb, cur/ and the
 * keywords are all it reads. Anything else (a delivery, a rename or unlink by another process, a
 * file the index does not know) fails the check, and the caller scans.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { keyOf } from '../message/filename.js';
import type { FolderStamp } from './folder-stamp.js';
import type { MessageRecord } from './message-info.js';

/** Names of a directory without dotfiles; undefined when it cannot be read. */
async function listNames(dir: string): Promise<string[] | undefined> {
  try {
    return (await readdir(dir)).filter((n) => !n.startsWith('.'));
  } catch {
    return undefined;
  }
}

/** File names of each published list (computed once per list). */
export class NameSets {
  private readonly sets = new WeakMap<readonly MessageRecord[], ReadonlySet<string>>();

  of(list: readonly MessageRecord[]): ReadonlySet<string> {
    let set = this.sets.get(list);
    if (!set) {
      set = new Set(list.map((r) => r.filename));
      this.sets.set(list, set);
    }
    return set;
  }
}

/**
 * True when the folder on disk, as of after `now` was taken, is what `list` says. `scanned` is the
 * stamp taken before the last full scan (or the snapshot the index was opened from): the uiddb and
 * keyword dir must be as they were then, and old enough that a change since would have moved them.
 */
export async function diskMatches(
  folderDir: string,
  list: readonly MessageRecord[],
  names: NameSets,
  scanned: FolderStamp | undefined,
  now: FolderStamp,
): Promise<boolean> {
  if (!scanned?.metaSafe || !now.metaSafe || scanned.meta !== now.meta) return false;
  const fresh = await listNames(join(folderDir, 'new'));
  if (fresh === undefined || fresh.length > 0) return false;
  const cur = await listNames(join(folderDir, 'cur'));
  if (cur === undefined || cur.length !== list.length) return false;
  const known = names.of(list);
  for (const n of cur) if (!known.has(n)) return false;
  return true;
}

/** Current name in `curDir` of the message with this unique key (after someone else's rename). */
export async function locateKey(curDir: string, key: string): Promise<string | undefined> {
  for (const n of await readdir(curDir).catch(() => [] as string[])) {
    if (!n.startsWith('.') && keyOf(n) === key) return n;
  }
  return undefined;
}
