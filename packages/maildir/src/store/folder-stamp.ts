/**
 * A cheap fingerprint of a folder (mtimes of cur/, new/, the keyword dir and the uiddb), so a
 * sync with nothing changed skips the scan. A stamp is trusted only when every mtime is older
 * than a margin, since a change in the same clock tick would not move the mtime: 2 s where the
 * file system may keep whole seconds (every mtime a whole second), else 100 ms (a tick of a
 * nanosecond-timestamp file system is a jiffy, 1-10 ms). With many sessions IDLE on one folder,
 * the short margin lets all but the first skip the rescan after a change.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { KEYWORD_DIR } from '../state/keywords.js';
import { UIDDB_FILE } from '../state/uid-db.js';

const STAMPED = ['cur', 'new', KEYWORD_DIR, UIDDB_FILE];
const COARSE_MARGIN_MS = 2000;
const FINE_MARGIN_MS = 100;

export interface FolderStamp {
  readonly parts: string;
  readonly safe: boolean;
  /** courierimapuiddb exists (else UIDs and UIDVALIDITY are not persisted yet). */
  readonly uiddb: boolean;
  /** The parts of the keyword dir and the uiddb alone, and whether those alone are trusted. */
  readonly meta: string;
  readonly metaSafe: boolean;
}

export async function takeStamp(folderDir: string): Promise<FolderStamp> {
  const now = Date.now();
  let uiddb = false;
  let coarse = true;
  let newestMs = Number.NEGATIVE_INFINITY;
  let newestMetaMs = Number.NEGATIVE_INFINITY;
  const parts: string[] = [];
  // The four stats at once (the thread pool runs them side by side).
  const stats = await Promise.all(
    STAMPED.map((n) => stat(join(folderDir, n), { bigint: true }).catch(() => undefined)),
  );
  for (const [i, n] of STAMPED.entries()) {
    const st = stats[i];
    if (st) {
      parts.push(`${st.mtimeNs}:${st.ino}:${st.size}`);
      if (st.mtimeNs % 1_000_000_000n !== 0n) coarse = false;
      newestMs = Math.max(newestMs, Number(st.mtimeNs / 1_000_000n));
      if (n === KEYWORD_DIR || n === UIDDB_FILE)
        newestMetaMs = Math.max(newestMetaMs, Number(st.mtimeNs / 1_000_000n));
      if (n === UIDDB_FILE) uiddb = true;
    } else {
      parts.push('-');
    }
  }
  const margin = coarse ? COARSE_MARGIN_MS : FINE_MARGIN_MS;
  return {
    parts: parts.join('|'),
    safe: newestMs <= now - margin,
    uiddb,
    meta: parts.slice(2).join('|'),
    metaSafe: newestMetaMs <= now - margin,
  };
}
