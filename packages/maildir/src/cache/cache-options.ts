/** Options, statistics and file name of the per-message cache files (message-cache.ts). */
import { join } from 'node:path';

export const STRUCTURE_CACHE_FILE = 'courier-ts.structure';

export interface MessageCacheOptions {
  /** File name in the folder directory (default `courier-ts.structure`). */
  readonly file?: string;
  /** The file never grows past this (appends are dropped; default 256 MiB). */
  readonly maxFileBytes?: number;
  /** Values larger than this are not stored (default 1 MiB). */
  readonly maxValueBytes?: number;
  /** Bytes of values read ahead of the lookups and kept for later (default 8 MiB). */
  readonly maxLookahead?: number;
}

export interface MessageCacheStats {
  /** The file was read to its end. */
  readonly complete: boolean;
  /** Part of the file could not be read (it should be rewritten). */
  readonly damaged: boolean;
  /** Records read; of these, records for keys not asked for or seen before. */
  readonly records: number;
  readonly unwanted: number;
  /** Bytes of records read. */
  readonly bytes: number;
}

export function pathOf(folderPath: string, o: MessageCacheOptions): string {
  return join(folderPath, o.file ?? STRUCTURE_CACHE_FILE);
}
