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
    let text: string;
    try {
      text = await readFile(join(folderDir, CACHE_FILE), 'utf8');
    } catch {
      return cache;
    }
    if (!text.startsWith(HEADER)) return cache;
    let pos = HEADER.length;
    while (pos < text.length) {
      const end = text.indexOf('\n', pos);
      if (end < 0) break; // torn tail
      const f = text.slice(pos, end).split('\t');
      pos = end + 1;
      cache.linesInFile++;
      if (f.length !== 4) continue;
      const size = Number(f[1]);
      const lfs = Number(f[2]);
      const mtimeMs = Number(f[3]);
      if (!Number.isFinite(size) || !Number.isFinite(lfs) || !Number.isFinite(mtimeMs)) continue;
      cache.entries.set(f[0]!, { size, lfs, mtimeMs });
    }
    return cache;
  }

  get(key: string): CachedMeta | undefined {
    return this.entries.get(key);
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
