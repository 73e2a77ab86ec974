/**
 * The formatted ENVELOPE/BODYSTRUCTURE/BODY of messages fetched lately, in memory: a later FETCH
 * over the same folder (any session of the process) sends them without reading the persistent
 * cache file or any message file. An entry is used only for the same message file: the same
 * unique key (which names one delivered file for good) and the same file size, as for the
 * persistent cache. Bounded in bytes; when a folder's entries would exceed the bound, the folders
 * used least recently are dropped first, and the folder in use keeps what it has (a FETCH over a
 * folder larger than the bound still finds its first part here).
 */
import { entryBytes, type StructureEntry } from '../../message/structure-entry.js';

/** Default bound on the texts held, per process. */
export const MEMO_BYTES = 32 * 1024 * 1024;
/** Bytes counted per entry besides its texts (map slot, objects, key). */
const OVERHEAD = 160;

interface Held {
  /** The message file's unique key (its name up to the last `:`) and size. */
  readonly key: string;
  readonly size: number;
  readonly entry: StructureEntry;
}

/** One folder's entries by UID (found without hashing a string), from `StructureMemo.folder()`. */
export interface FolderMemo {
  readonly entries: Map<number, Held>;
  bytes: number;
}

/** `filename` is the file of unique key `key` (keyOf(filename) === key, without a new string). */
function isFileOf(filename: string, key: string): boolean {
  if (!filename.startsWith(key)) return false;
  if (filename.length === key.length) return !key.includes(':');
  return filename.charCodeAt(key.length) === 0x3a && filename.indexOf(':', key.length + 1) === -1;
}

export class StructureMemo {
  readonly #max: number;
  /** By folder path, least recently used first. */
  readonly #folders = new Map<string, FolderMemo>();
  #bytes = 0;

  constructor(maxBytes = MEMO_BYTES) {
    this.#max = maxBytes;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** The folder's entries (made the most recently used), or undefined when none are held. */
  folder(path: string): FolderMemo | undefined {
    const f = this.#folders.get(path);
    if (f !== undefined) {
      this.#folders.delete(path);
      this.#folders.set(path, f);
    }
    return f;
  }

  /**
   * The entry of message `uid` if it was made from the file `filename` (same unique key) of `size`
   * bytes (NaN: size not known, any).
   */
  get(f: FolderMemo | undefined, uid: number, filename: string, size: number): StructureEntry | undefined {
    const h = f?.entries.get(uid);
    if (h === undefined || !isFileOf(filename, h.key)) return undefined;
    return Number.isNaN(size) || h.size === size ? h.entry : undefined;
  }

  /** Keeps the entry of message `uid`, made from the file of unique key `key` and `size` bytes. */
  set(path: string, uid: number, key: string, size: number, entry: StructureEntry): void {
    if (!Number.isSafeInteger(size)) return;
    const cost = entryBytes(entry) + key.length + OVERHEAD;
    let f = this.#folders.get(path);
    const old = f?.entries.get(uid);
    if (f !== undefined && old !== undefined) {
      const was = entryBytes(old.entry) + old.key.length + OVERHEAD;
      f.entries.delete(uid);
      f.bytes -= was;
      this.#bytes -= was;
    }
    // Room is made by dropping other folders, least recently used first; never this one's entries.
    for (const [p, other] of this.#folders) {
      if (this.#bytes + cost <= this.#max) break;
      if (p === path) continue;
      this.#folders.delete(p);
      this.#bytes -= other.bytes;
    }
    if (this.#bytes + cost > this.#max) return;
    if (f === undefined) {
      f = { entries: new Map(), bytes: 0 };
      this.#folders.set(path, f);
    }
    f.entries.set(uid, { key, size, entry });
    f.bytes += cost;
    this.#bytes += cost;
  }
}
