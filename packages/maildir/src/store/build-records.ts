/** Builds MessageInfo records from scan entries, using our cache before touching message files. */
import { join } from 'node:path';
import { keyOf, sizeFromName } from '../message/filename.js';
import type { CachedMeta, FolderCache } from './folder-cache.js';
import { type FlagInterner, type MessageRecord, makeRecord, UNMEASURED } from './message-info.js';
import { measureAll, measureMessage } from './message-measure.js';
import type { ScanEntry } from './scan.js';

export interface BuildInput {
  readonly curDir: string;
  readonly entries: readonly ScanEntry[];
  /** The record this folder had for a UID before (its details are reused when the key matches). */
  readonly previous: (uid: number) => MessageRecord | undefined;
  readonly keywords: ReadonlyMap<string, string[]>;
  readonly cache: FolderCache;
  readonly interner: FlagInterner;
  /** Leave messages unknown to the cache unmeasured (NaN sizes). */
  readonly lazy: boolean;
  /** Records of new messages are \Recent (else every record is not). */
  readonly markRecent?: boolean;
  /** No previous records at all (the opening scan). */
  readonly fresh?: boolean;
  /** Finds the current name of a message renamed while we measured it. */
  readonly locate: (key: string) => Promise<string | undefined>;
}

/**
 * Records in UID order (with `recent` false unless `markRecent`: \Recent belongs to the session that
 * saw the scan, see `ScanEntry.recent`); entries whose files vanished meanwhile are dropped.
 */
export async function buildRecords(input: BuildInput): Promise<MessageRecord[]> {
  if (input.lazy && input.fresh && input.cache.empty) return unmeasuredRecords(input);
  const metas = new Array<CachedMeta | MessageRecord | undefined>(input.entries.length);
  const todo: number[] = [];
  input.entries.forEach((e, i) => {
    const key = e.key;
    const prev = input.previous(e.uid);
    if (prev && (prev.filename === e.filename || prev.key === key)) {
      metas[i] = prev;
      return;
    }
    const cached = input.cache.get(key);
    // ,S= disagreeing with the cache means the file was replaced behind our back.
    if (cached && sizeAgrees(key, cached.size)) metas[i] = cached;
    else todo.push(i);
  });
  const names = input.entries.map((e) => e.filename);
  if (input.lazy) {
    for (const i of todo) metas[i] = UNMEASURED;
    todo.length = 0;
  }
  const measured = await measureAll(todo.map((i) => join(input.curDir, names[i]!)));
  for (const [n, i] of todo.entries()) {
    let meta = measured[n];
    if (!meta) {
      // Renamed (flags) by someone else meanwhile: measure it under its new name.
      const now = await input.locate(keyOf(names[i]!));
      if (now) {
        names[i] = now;
        meta = await measureMessage(join(input.curDir, now));
      }
    }
    if (meta) {
      metas[i] = meta;
      input.cache.set(keyOf(names[i]!), meta);
    }
  }
  const out: MessageRecord[] = [];
  input.entries.forEach((e, i) => {
    const meta = metas[i];
    if (!meta) return;
    const name = names[i]!;
    const prev = input.previous(e.uid);
    const kws = input.keywords.size === 0 ? undefined : input.keywords.get(e.key);
    if (prev && prev.filename === name && sameKeywords(prev.keywords, kws) && !prev.recent) out.push(prev);
    else
      out.push(makeRecord(input.interner, e.uid, name, meta, kws, (input.markRecent ?? false) && e.recent));
  });
  return out;
}

/** The name's `,S=` size, if any, is this size. */
function sizeAgrees(key: string, size: number): boolean {
  const hint = sizeFromName(key);
  return hint === undefined || hint === size;
}

/** The opening scan with nothing cached and nothing to measure: one record per entry, at once. */
function unmeasuredRecords(input: BuildInput): MessageRecord[] {
  const out = new Array<MessageRecord>(input.entries.length);
  const recent = input.markRecent ?? false;
  const kws = input.keywords.size === 0 ? undefined : input.keywords;
  for (let i = 0; i < input.entries.length; i++) {
    const e = input.entries[i]!;
    out[i] = makeRecord(input.interner, e.uid, e.filename, UNMEASURED, kws?.get(e.key), recent && e.recent);
  }
  return out;
}

export function sameKeywords(a: ReadonlySet<string>, b: readonly string[] | undefined): boolean {
  const bl = b ?? [];
  if (a.size !== bl.length) return false;
  for (const k of bl) if (!a.has(k)) return false;
  return true;
}
