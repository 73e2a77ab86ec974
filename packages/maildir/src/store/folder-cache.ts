/**
 * courier-ts.cache: our own per-folder cache of what is expensive to recompute (file size,
 * LF count for the CRLF size, mtime), keyed by the message's unique name. An append-only log
 * of `key\tsize\tlfs\tmtimeMs` lines; a torn last line (crash) is ignored; rewritten atomically
 * from the live messages when mostly stale. Courier's own files are never touched for it.
 * The loaded map is only needed for the first scan and is dropped after it.
 */
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic.js';
import type { MaildirContext } from '../fs/context.js';

export const CACHE_FILE = 'courier-ts.cache';
const HEADER = 'courier-ts-cache 2\n';

export interface CachedMeta {
  readonly size: number;
  readonly lfs: number;
  readonly mtimeMs: number;
}

function line(key: string, m: CachedMeta): string {
  return `${key}\t${m.size}\t${m.lfs}\t${m.mtimeMs}\n`;
}

export class FolderCache {
  private entries = new Map<string, CachedMeta>();
  private readonly pending: string[] = [];
  private linesInFile = 0;

  private constructor(
    private readonly ctx: MaildirContext,
    private readonly folderDir: string,
  ) {}

  /** A cache with nothing loaded (new entries are still recorded and appended). */
  static empty(ctx: MaildirContext, folderDir: string): FolderCache {
    const cache = new FolderCache(ctx, folderDir);
    cache.linesInFile = Number.POSITIVE_INFINITY; // unknown: never rewrite from a partial view
    return cache;
  }

  static async load(ctx: MaildirContext, folderDir: string): Promise<FolderCache> {
    const cache = new FolderCache(ctx, folderDir);
    if (!ctx.useCache) return cache;
    let buf: Buffer;
    try {
      buf = await readFile(join(folderDir, CACHE_FILE));
    } catch {
      return cache;
    }
    if (buf.toString('latin1', 0, HEADER.length) !== HEADER) return cache;
    let pos = HEADER.length;
    while (pos < buf.length) {
      const end = buf.indexOf(10, pos);
      if (end < 0) break; // torn tail
      cache.linesInFile++;
      const t1 = buf.indexOf(9, pos);
      const t2 = t1 < 0 ? -1 : buf.indexOf(9, t1 + 1);
      const t3 = t2 < 0 ? -1 : buf.indexOf(9, t2 + 1);
      const t4 = t3 < 0 ? -1 : buf.indexOf(9, t3 + 1);
      if (t3 >= 0 && t3 < end && (t4 < 0 || t4 > end)) {
        const size = Number(buf.toString('latin1', t1 + 1, t2));
        const lfs = Number(buf.toString('latin1', t2 + 1, t3));
        const mtimeMs = Number(buf.toString('latin1', t3 + 1, end));
        if (Number.isFinite(size) && Number.isFinite(lfs) && Number.isFinite(mtimeMs)) {
          cache.entries.set(buf.toString('utf8', pos, t1), { size, lfs, mtimeMs });
        }
      }
      pos = end + 1;
    }
    return cache;
  }

  /** Forgets the loaded entries (they are only needed for the first scan). */
  dropLoaded(): void {
    this.entries = new Map();
  }

  /** Nothing loaded (a first open, or after the first scan). */
  get empty(): boolean {
    return this.entries.size === 0;
  }

  get(key: string): CachedMeta | undefined {
    return this.entries.size === 0 ? undefined : this.entries.get(key);
  }

  /** Records a freshly measured message (persisted at the next flush). */
  set(key: string, meta: CachedMeta): void {
    if (key.includes('\t') || key.includes('\n')) return;
    this.pending.push(line(key, meta));
  }

  /** Persists new entries, or rewrites the file from `live` when it is mostly stale. */
  async flush(
    live: Iterable<{ readonly key: string; readonly meta: CachedMeta }>,
    liveCount: number,
  ): Promise<void> {
    this.entries = new Map();
    if (!this.ctx.useCache) return;
    const path = join(this.folderDir, CACHE_FILE);
    const total = this.linesInFile + this.pending.length;
    try {
      if (
        (Number.isFinite(total) && total > 2 * liveCount + 1000) ||
        (this.linesInFile === 0 && this.pending.length > 0)
      ) {
        const lines = [HEADER];
        for (const r of live) {
          if (r.key.includes('\t') || r.key.includes('\n') || Number.isNaN(r.meta.size)) continue;
          lines.push(line(r.key, r.meta));
        }
        await writeFileAtomic(this.ctx, this.folderDir, path, lines.join(''), { uniqTag: 'cts' });
        this.linesInFile = lines.length - 1;
      } else if (this.pending.length > 0) {
        await appendFile(path, this.pending.join(''));
        this.linesInFile += this.pending.length;
      }
      this.pending.length = 0;
    } catch (err) {
      this.ctx.log.debug({ err, path }, 'cache write failed');
    }
  }
}
