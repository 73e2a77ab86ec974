/**
 * A cheap fingerprint of a folder (mtimes of cur/, new/, the keyword dir and the uiddb), so a
 * sync with nothing changed skips the scan. A stamp is trusted only when every mtime is older
 * than a margin, since a change in the same clock tick would not move the mtime.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { KEYWORD_DIR } from '../state/keywords.js';
import { UIDDB_FILE } from '../state/uid-db.js';

const STAMPED = ['cur', 'new', KEYWORD_DIR, UIDDB_FILE];
const STAMP_MARGIN_MS = 2000;

export interface FolderStamp {
  readonly parts: string;
  readonly safe: boolean;
  /** courierimapuiddb exists (else UIDs and UIDVALIDITY are not persisted yet). */
  readonly uiddb: boolean;
}

export async function takeStamp(folderDir: string): Promise<FolderStamp> {
  const now = Date.now();
  let safe = true;
  let uiddb = false;
  const parts: string[] = [];
  for (const n of STAMPED) {
    try {
      const st = await stat(join(folderDir, n), { bigint: true });
      parts.push(`${st.mtimeNs}:${st.ino}:${st.size}`);
      if (Number(st.mtimeNs / 1_000_000n) > now - STAMP_MARGIN_MS) safe = false;
      if (n === UIDDB_FILE) uiddb = true;
    } catch {
      parts.push('-');
    }
  }
  return { parts: parts.join('|'), safe, uiddb };
}
