/**
 * The store's MessageInfo records (MessageRecord), their shared flag sets, and lookup by UID;
 * build-records.ts makes them from scan entries.
 */
import { keyOf, parseName } from '../message/filename.js';
import type { MaildirFlag, MessageInfo } from '../types.js';
import type { CachedMeta } from './folder-cache.js';

/** Flags of one `:2,...` suffix, shared by every record with that suffix. */
export interface FlagInfo {
  readonly flags: ReadonlySet<MaildirFlag>;
  /** Letters we do not know, kept when renaming. */
  readonly other: string;
}

/** mtime seconds are stored relative to this, so they stay small integers (V8 Smis, no heap box). */
const MTIME_BASE_S = 1_000_000_000;

/**
 * One message as the store keeps it: one small object whose fields are all small integers or
 * shared references (flag sets interned per `:2,` suffix, keyword sets shared when empty); the
 * unique key, sizes and mtime are derived on access. Sizes are -1 while not measured.
 * Records are immutable: a change makes a new one, so sessions can share them.
 */
export class MessageRecord implements MessageInfo {
  private readonly sz: number;
  private readonly lf: number;
  private readonly mtS: number;
  private readonly mtMs: number;

  constructor(
    readonly uid: number,
    readonly filename: string,
    private readonly info: FlagInfo,
    readonly keywords: ReadonlySet<string>,
    meta: CachedMeta | MessageRecord,
    readonly recent: boolean,
  ) {
    if (meta === UNMEASURED) {
      // Nothing measured yet (every record of a lazy first open): the cheapest path.
      this.sz = -1;
      this.lf = -1;
      this.mtS = 0;
      this.mtMs = -1;
      return;
    }
    if (meta instanceof MessageRecord) {
      // Same details as another record: copy the stored fields as they are.
      this.sz = meta.sz;
      this.lf = meta.lf;
      this.mtS = meta.mtS;
      this.mtMs = meta.mtMs;
      return;
    }
    const known = Number.isFinite(meta.size) && Number.isFinite(meta.lfs);
    this.sz = known ? meta.size : -1;
    this.lf = known ? meta.lfs : -1;
    if (Number.isFinite(meta.mtimeMs)) {
      const ms = Math.round(meta.mtimeMs);
      const s = Math.floor(ms / 1000);
      this.mtS = s - MTIME_BASE_S;
      this.mtMs = ms - s * 1000;
    } else {
      this.mtS = 0;
      this.mtMs = -1;
    }
  }

  get key(): string {
    return keyOf(this.filename);
  }
  get flags(): ReadonlySet<MaildirFlag> {
    return this.info.flags;
  }
  get flagInfo(): FlagInfo {
    return this.info;
  }
  get otherFlags(): string {
    return this.info.other;
  }
  get size(): number {
    return this.sz < 0 ? Number.NaN : this.sz;
  }
  get lfs(): number {
    return this.lf < 0 ? Number.NaN : this.lf;
  }
  get crlfSize(): number {
    return this.sz < 0 ? Number.NaN : this.sz + this.lf;
  }
  get mtimeMs(): number {
    return this.mtMs < 0 ? Number.NaN : (this.mtS + MTIME_BASE_S) * 1000 + this.mtMs;
  }
  get mtime(): Date {
    return new Date(this.mtimeMs);
  }
  get measured(): boolean {
    return this.sz >= 0;
  }
  get meta(): CachedMeta {
    return { size: this.size, lfs: this.lfs, mtimeMs: this.mtimeMs };
  }

  /** The same message with another \Recent state (a session's own view of a shared record). */
  withRecent(recent: boolean): MessageRecord {
    return recent === this.recent
      ? this
      : new MessageRecord(this.uid, this.filename, this.info, this.keywords, this, recent);
  }

  /** The same message with measured details. */
  withMeta(meta: CachedMeta): MessageRecord {
    return new MessageRecord(this.uid, this.filename, this.info, this.keywords, meta, this.recent);
  }
}

const NO_KEYWORDS: ReadonlySet<string> = new Set();
export const UNMEASURED: CachedMeta = { size: Number.NaN, lfs: Number.NaN, mtimeMs: Number.NaN };

/** Shares equal flag sets between records (a 100,000-message folder has a handful of distinct ones). */
export class FlagInterner {
  private readonly byInfo = new Map<string, FlagInfo>();
  /** The suffix asked for last, and its flags (runs of names share one: no slice for those). */
  private lastSuffix = '';
  private lastInfo: FlagInfo | undefined;

  /** Flags and unknown letters of a file name, without allocating for names seen before. */
  parse(filename: string): FlagInfo {
    const i = filename.lastIndexOf(':');
    const last = this.lastInfo;
    if (
      last &&
      i >= 0 &&
      filename.length - i === this.lastSuffix.length &&
      filename.startsWith(this.lastSuffix, i)
    )
      return last;
    const info = i < 0 ? '' : filename.slice(i);
    let hit = this.byInfo.get(info);
    if (!hit) {
      const p = parseName(filename);
      hit = { flags: p.flags, other: p.otherFlags };
      this.byInfo.set(info, hit);
    }
    this.lastSuffix = info;
    this.lastInfo = hit;
    return hit;
  }
}

export function makeRecord(
  interner: FlagInterner,
  uid: number,
  filename: string,
  meta: CachedMeta | MessageRecord,
  keywords: readonly string[] | ReadonlySet<string> | undefined,
  recent: boolean,
): MessageRecord {
  const kw =
    keywords === undefined ||
    (Array.isArray(keywords) ? keywords.length === 0 : (keywords as ReadonlySet<string>).size === 0)
      ? NO_KEYWORDS
      : keywords instanceof Set
        ? (keywords as ReadonlySet<string>)
        : new Set(keywords);
  return new MessageRecord(uid, filename, interner.parse(filename), kw, meta, recent);
}

/** Binary search of a UID-ordered list: the index, or -1. */
export function indexOfUid(list: readonly { readonly uid: number }[], uid: number): number {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const u = list[mid]!.uid;
    if (u === uid) return mid;
    if (u < uid) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

export type { MaildirFlag };
