/** Builds MessageInfo records from scan entries, using our cache before touching message files. */
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { keyOf, parseName, sizeFromName } from '../message/filename.js';
import type { MaildirFlag, MessageInfo } from '../types.js';
import type { CachedMeta, FolderCache } from './folder-cache.js';
import type { ScanEntry } from './scan.js';

/** One message as the store keeps it: compact (one object, interned flag sets). */
export class MessageRecord implements MessageInfo {
  constructor(
    readonly uid: number,
    readonly filename: string,
    readonly key: string,
    readonly flags: ReadonlySet<MaildirFlag>,
    readonly otherFlags: string,
    readonly keywords: ReadonlySet<string>,
    readonly size: number,
    readonly lfs: number,
    readonly mtimeMs: number,
    readonly recent: boolean,
  ) {}

  get crlfSize(): number {
    return this.size + this.lfs;
  }

  get mtime(): Date {
    return new Date(this.mtimeMs);
  }

  get meta(): CachedMeta {
    return { size: this.size, lfs: this.lfs, mtimeMs: this.mtimeMs };
  }
}

const NO_KEYWORDS: ReadonlySet<string> = new Set();
export const UNMEASURED: CachedMeta = { size: Number.NaN, lfs: Number.NaN, mtimeMs: Number.NaN };

/** Shares equal flag sets between records (a 100,000-message folder has a handful of distinct ones). */
export class FlagInterner {
  private readonly byInfo = new Map<string, { flags: ReadonlySet<MaildirFlag>; other: string }>();

  /** Flags and unknown letters of a file name, without allocating for names seen before. */
  parse(filename: string): { flags: ReadonlySet<MaildirFlag>; other: string } {
    const i = filename.lastIndexOf(':');
    const info = i < 0 ? '' : filename.slice(i);
    let hit = this.byInfo.get(info);
    if (!hit) {
      const p = parseName(filename);
      hit = { flags: p.flags, other: p.otherFlags };
      this.byInfo.set(info, hit);
    }
    return hit;
  }
}

const MEASURE_CONCURRENCY = 8;
const READ_CHUNK = 64 * 1024;

export function makeRecord(
  interner: FlagInterner,
  uid: number,
  filename: string,
  meta: CachedMeta,
  keywords: readonly string[] | ReadonlySet<string> | undefined,
  recent: boolean,
): MessageRecord {
  const p = interner.parse(filename);
  const key = keyOf(filename);
  const kw =
    keywords === undefined ||
    (Array.isArray(keywords) ? keywords.length === 0 : (keywords as ReadonlySet<string>).size === 0)
      ? NO_KEYWORDS
      : new Set(keywords);
  return new MessageRecord(
    uid,
    filename,
    key,
    p.flags,
    p.other,
    kw,
    meta.size,
    meta.lfs,
    meta.mtimeMs,
    recent,
  );
}

/** fstat + one read pass counting LFs, with a reused buffer. undefined when the file vanished. */
export async function measureMessage(
  path: string,
  buf: Buffer = Buffer.allocUnsafe(READ_CHUNK),
): Promise<CachedMeta | undefined> {
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const st = await fh.stat();
    let size = 0;
    let lfs = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      size += bytesRead;
      let i = -1;
      const view = bytesRead === buf.length ? buf : buf.subarray(0, bytesRead);
      for (;;) {
        i = view.indexOf(10, i + 1);
        if (i < 0) break;
        lfs++;
      }
    }
    return { size, lfs, mtimeMs: Math.round(st.mtimeMs) };
  } finally {
    await fh.close();
  }
}

/** Measures many files with bounded concurrency; undefined entries vanished. */
export async function measureAll(paths: readonly string[]): Promise<Array<CachedMeta | undefined>> {
  const out = new Array<CachedMeta | undefined>(paths.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    const buf = Buffer.allocUnsafe(READ_CHUNK);
    while (next < paths.length) {
      const i = next++;
      out[i] = await measureMessage(paths[i]!, buf);
    }
  };
  await Promise.all(Array.from({ length: Math.min(MEASURE_CONCURRENCY, paths.length) }, worker));
  return out;
}

export interface BuildInput {
  readonly curDir: string;
  readonly entries: readonly ScanEntry[];
  readonly previous: ReadonlyMap<number, MessageRecord>;
  readonly keywords: ReadonlyMap<string, string[]>;
  readonly recentUids: Set<number>;
  readonly cache: FolderCache;
  readonly interner: FlagInterner;
  /** Leave messages unknown to the cache unmeasured (NaN sizes). */
  readonly lazy: boolean;
  /** Finds the current name of a message renamed while we measured it. */
  readonly locate: (key: string) => Promise<string | undefined>;
}

/** Records in UID order; entries whose files vanished meanwhile are dropped. */
export async function buildRecords(input: BuildInput): Promise<MessageRecord[]> {
  const metas = new Array<CachedMeta | undefined>(input.entries.length);
  const todo: number[] = [];
  input.entries.forEach((e, i) => {
    const key = keyOf(e.filename);
    const prev = input.previous.get(e.uid);
    if (prev && prev.key === key) {
      metas[i] = prev.meta;
      return;
    }
    const cached = input.cache.get(key);
    const hint = sizeFromName(key);
    // ,S= disagreeing with the cache means the file was replaced behind our back.
    if (cached && (hint === undefined || hint === cached.size)) metas[i] = cached;
    else todo.push(i);
  });
  const names = input.entries.map((e) => e.filename);
  if (input.lazy) {
    for (const i of todo) metas[i] = UNMEASURED;
    todo.length = 0;
  }
  let next = 0;
  const worker = async (): Promise<void> => {
    const buf = Buffer.allocUnsafe(READ_CHUNK);
    while (next < todo.length) {
      const i = todo[next++]!;
      let meta = await measureMessage(join(input.curDir, names[i]!), buf);
      if (!meta) {
        const now = await input.locate(keyOf(names[i]!));
        if (now) {
          names[i] = now;
          meta = await measureMessage(join(input.curDir, now), buf);
        }
      }
      if (meta) {
        metas[i] = meta;
        input.cache.set(keyOf(names[i]!), meta);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(MEASURE_CONCURRENCY, todo.length) }, worker));
  const out: MessageRecord[] = [];
  input.entries.forEach((e, i) => {
    const meta = metas[i];
    if (!meta) return;
    const recent = e.recent || input.recentUids.has(e.uid);
    if (recent) input.recentUids.add(e.uid);
    const key = keyOf(names[i]!);
    const prev = input.previous.get(e.uid);
    const kws = input.keywords.get(key);
    if (prev && prev.filename === names[i] && sameKeywords(prev.keywords, kws) && prev.recent === recent) {
      out.push(prev);
    } else {
      out.push(makeRecord(input.interner, e.uid, names[i]!, meta, kws, recent));
    }
  });
  return out;
}

export function sameKeywords(a: ReadonlySet<string>, b: readonly string[] | undefined): boolean {
  const bl = b ?? [];
  if (a.size !== bl.length) return false;
  for (const k of bl) if (!a.has(k)) return false;
  return true;
}

export function applyFlags<T extends string>(
  mode: 'set' | 'add' | 'remove',
  current: ReadonlySet<T>,
  change: Iterable<T>,
): Set<T> {
  if (mode === 'set') return new Set(change);
  const out = new Set(current);
  for (const f of change) {
    if (mode === 'add') out.add(f);
    else out.delete(f);
  }
  return out;
}

export function sameSet<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

export type { MaildirFlag };
