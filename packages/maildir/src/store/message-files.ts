/** File-level changes to one message in cur/, following renames made by other processes. */
import { rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { curName, parseName } from '../message/filename.js';
import type { LocateFile } from '../message/message-reader.js';
import type { FlagMode, MaildirFlag } from '../types.js';
import { applyFlags, sameSet } from './flag-sets.js';

/**
 * Renames `filename` so its flags reflect the change; when someone else renamed it first, the
 * change is applied to their flags. Returns the new name, or undefined when the message is gone.
 */
export async function renameFlags(
  curDir: string,
  filename: string,
  mode: FlagMode,
  flags: readonly MaildirFlag[],
  locate: LocateFile,
): Promise<string | undefined> {
  let name: string | undefined = filename;
  for (let attempt = 0; attempt < 3 && name !== undefined; attempt++) {
    const p = parseName(name);
    const next = applyFlags(mode, p.flags, flags);
    if (sameSet(next, p.flags)) return name;
    const target = curName(p.key, next, p.otherFlags);
    try {
      await rename(join(curDir, name), join(curDir, target));
      return target;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      name = await locate(p.key);
    }
  }
  return name;
}

/** Unlinks a message; returns the name removed, or undefined when it was already gone. */
export async function unlinkMessage(
  curDir: string,
  filename: string,
  key: string,
  locate: LocateFile,
): Promise<string | undefined> {
  try {
    await unlink(join(curDir, filename));
    return filename;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const now = await locate(key);
  if (now === undefined) return undefined;
  try {
    await unlink(join(curDir, now));
    return now;
  } catch {
    return undefined;
  }
}

/** Keywords after a STORE (case-insensitive; the first spelling is kept). */
export function nextKeywords(
  current: ReadonlySet<string>,
  mode: FlagMode,
  requested: readonly string[],
): string[] {
  const lower = applyFlags(
    mode,
    new Set([...current].map((k) => k.toLowerCase())),
    requested.map((k) => k.toLowerCase()),
  );
  const byLower = new Map<string, string>();
  for (const k of [...current, ...requested]) {
    const l = k.toLowerCase();
    if (lower.has(l) && !byLower.has(l)) byLower.set(l, k);
  }
  return [...byLower.values()];
}

/**
 * IMAP_MOVE_EXPUNGE_TO_TRASH: renames the message into another folder's cur/ with T and D
 * removed. Returns the old name, or undefined when it was already gone.
 */
export async function moveMessage(
  curDir: string,
  destCurDir: string,
  filename: string,
  key: string,
  locate: LocateFile,
): Promise<string | undefined> {
  let name: string | undefined = filename;
  for (let attempt = 0; attempt < 2 && name !== undefined; attempt++) {
    const p = parseName(name);
    const flags = [...p.flags].filter((f) => f !== 'T' && f !== 'D');
    try {
      await rename(join(curDir, name), join(destCurDir, curName(p.key, flags, p.otherFlags)));
      return name;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      name = await locate(key);
    }
  }
  return undefined;
}
