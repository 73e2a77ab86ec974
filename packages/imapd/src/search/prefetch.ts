/**
 * Work over many messages with their files' first bytes read ahead (ScanPool), a batch or two in
 * front of the work, so reading and parsing overlap and memory stays bounded (batch x max bytes).
 */
import type { Prefix } from './file-read.js';

/** What reads file prefixes ahead (ScanPool). */
export interface PrefixReader {
  prefixes(paths: readonly string[], sizes: readonly number[], max: number): Promise<(Prefix | undefined)[]>;
}

export interface PrefetchOptions<T> {
  /** undefined: no read-ahead (each item's work reads for itself). */
  readonly reader: PrefixReader | undefined;
  /** The file of an item; undefined: no read-ahead. */
  readonly path: ((item: T) => string) | undefined;
  /** Known size of the file (NaN = unknown). */
  readonly size: (item: T) => number;
  /** First bytes read per file. */
  readonly max: number;
  /** Items at a time in `work`. */
  readonly parallel: number;
}

/** Files per worker request. */
const BATCH = 16;

async function limited(tasks: readonly (() => Promise<void>)[], parallel: number): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < tasks.length) await tasks[next++]!();
  };
  await Promise.all(Array.from({ length: Math.min(parallel, tasks.length) }, lane));
}

export async function forEachWithPrefix<T>(
  items: readonly T[],
  o: PrefetchOptions<T>,
  work: (item: T, prefix: Prefix | undefined) => Promise<void>,
): Promise<void> {
  const { reader, path } = o;
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += BATCH) batches.push(items.slice(i, i + BATCH));
  const fetched: Promise<(Prefix | undefined)[]>[] = [];
  const fetch = (i: number): Promise<(Prefix | undefined)[]> => {
    const b = batches[i];
    if (!b || !reader || !path) return Promise.resolve([]);
    fetched[i] ??= reader.prefixes(b.map(path), b.map(o.size), o.max).catch(() => []);
    return fetched[i]!;
  };
  for (let i = 0; i < batches.length; i++) {
    const current = fetch(i);
    void fetch(i + 1); // queued behind this batch: the worker reads while this one is worked on
    const prefixes = await current;
    delete fetched[i];
    const batch = batches[i]!;
    await limited(
      batch.map((item, k) => () => work(item, prefixes[k])),
      o.parallel,
    );
  }
}
