/**
 * One FETCH's view of the folder's persistent structure cache (maildir `courier-ts.structure`):
 * ENVELOPE, BODYSTRUCTURE and BODY of a message found there (or in the provider's memo of
 * entries used lately, structure-memo.ts) are sent as stored, without opening the message file;
 * the others are scanned and appended (and memoized). The cache file is read forward once,
 * as the messages are prepared in sequence order; only a few decoded entries are held.
 * A FETCH over the whole folder also rewrites a cache file that is damaged or mostly stale.
 */
import {
  appendMessageCache,
  type CacheRecord,
  type Folder,
  MessageCacheReader,
  type MessageInfo,
  rewriteMessageCache,
} from '@courier-ts/maildir';
import {
  decodeStructureEntry,
  entryText,
  formatStructureEntry,
  type StructureEntry,
} from '../../message/structure-entry.js';
import { createMemoScope } from './memo-scope.js';
import type { MessageSource } from './source.js';
import type { Scanned, StructureProvider, StructureScope } from './structure.js';
import type { StructureMemo } from './structure-memo.js';
import { StructurePump } from './structure-pump.js';
import type { ScanThreadPool } from './structure-threads.js';

export interface StructureProviderOptions {
  /** Use the folders' persistent structure cache (default true). */
  readonly persistent?: boolean;
  /** Fewest messages in a FETCH for the persistent cache to be read (default 32). */
  readonly minMessages?: number;
  /** Bytes of formatted entries kept in memory across FETCHes (default 32 MiB; 0: none). */
  readonly memoBytes?: number;
  /** Bytes of cache-file values read ahead of the lookups (default: the reader's, 8 MiB). */
  readonly lookaheadBytes?: number;
  /** Most scan threads per FETCH (default: one per core, one alone on a saturated machine). */
  readonly scanThreads?: number;
  /** Messages still to come for a further scan thread to be started (default 1024). */
  readonly scanSpreadAt?: number;
  /** The scan threads (default: the process's pool, structure-threads.ts). */
  readonly scanPool?: ScanThreadPool;
}

type Load = (folder: Folder, msg: MessageInfo, src: MessageSource) => Promise<Scanned>;

/** Decoded entries held (run.ts prepares at most 32 messages ahead of the one written). */
const HELD = 128;
/** Bytes of new entries gathered per append to the cache file (one open, one write per frame). */
const APPEND_AT = 1024 * 1024;

/**
 * ENVELOPE alone is read from the cache file only when the FETCH covers a good part of the folder:
 * the file is read forward from its start, and a message's header block is one small read, so a
 * short range deep in a large folder is cheaper from the message files.
 */
const ENVELOPE_SHARE = 16;

/** The message file size, when known without reading it (lazy folders: NaN). */
function fileSize(msg: MessageInfo): number {
  return msg.size;
}

export function createStructureScope(
  base: StructureProvider,
  load: Load,
  folder: Folder,
  messages: readonly MessageInfo[],
  options: StructureProviderOptions,
  memo: StructureMemo,
): StructureScope {
  const passThrough: StructureScope = {
    begin: base.begin,
    prepare: base.prepare,
    envelope: base.envelope,
    cachedEnvelope: base.cachedEnvelope,
    bodyStructure: base.bodyStructure,
    partSection: base.partSection,
    end: async () => {},
  };
  if (options.persistent === false) return passThrough;
  // A short FETCH: the memo only (the cache file is read forward from its start).
  if (messages.length < (options.minMessages ?? 32)) return createMemoScope(base, folder, memo);

  let reader: MessageCacheReader | undefined;
  /** Messages answered from memory when the reader was made (their records count as unwanted). */
  let inMemory = 0;
  /** Read-ahead with a worker, unless the FETCH reads messages whole anyway (then they are scanned here). */
  let pump: StructurePump | null | undefined;
  /** Entries of the messages prepared last, by UID. */
  const held = new Map<number, StructureEntry>();
  let pending: CacheRecord[] = [];
  let pendingBytes = 0;
  let writes: Promise<void> = Promise.resolve();

  const memoized = memo.folder(folder.path);
  const recall = (msg: MessageInfo): StructureEntry | undefined =>
    memo.get(memoized, msg.uid, msg.filename, fileSize(msg));
  const hold = (uid: number, e: StructureEntry): void => {
    held.set(uid, e);
    if (held.size > HELD) held.delete(held.keys().next().value as number);
  };
  const flush = (): void => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    pendingBytes = 0;
    writes = writes.then(() => appendMessageCache(folder.path, batch).catch(() => {}));
  };
  const store = (key: string, size: number, value: Buffer): void => {
    pending.push({ key, size, value });
    pendingBytes += value.length + key.length;
    if (pendingBytes >= APPEND_AT) flush();
  };
  /**
   * The cache file's reader, made on first need: it looks for the messages not in the memo then
   * (the records of the others are skipped, not kept in its lookahead).
   */
  const open = (): MessageCacheReader => {
    if (reader !== undefined) return reader;
    const wanted = new Set<string>();
    for (const m of messages) if (recall(m) === undefined) wanted.add(m.key);
    inMemory = messages.length - wanted.size;
    const lookahead = options.lookaheadBytes;
    reader = new MessageCacheReader(folder.path, wanted, lookahead ? { maxLookahead: lookahead } : {});
    return reader;
  };
  /** The entry from memory or the cache file (memoized), else undefined. */
  const lookup = async (msg: MessageInfo): Promise<StructureEntry | undefined> => {
    const held = recall(msg);
    if (held !== undefined) return held;
    const value = await open()
      .get(msg.key, fileSize(msg))
      .catch(() => undefined);
    const e = value === undefined ? undefined : decodeStructureEntry(value);
    if (e !== undefined) memo.set(folder.path, msg.uid, msg.key, fileSize(msg), e);
    return e;
  };
  const entryFor = (f: Folder, msg: MessageInfo): StructureEntry | undefined =>
    f.path === folder.path ? held.get(msg.uid) : undefined;

  return {
    begin: base.begin,
    async prepare(f, msg, src) {
      if (f.path !== folder.path) return base.prepare(f, msg, src);
      const known = recall(msg);
      if (known !== undefined) {
        hold(msg.uid, known);
        return;
      }
      if (pump === undefined)
        pump =
          src.raw || src.whole
            ? null
            : new StructurePump(folder, messages, {
                memo: recall,
                reader: open,
                ...(options.scanThreads === undefined ? {} : { threads: options.scanThreads }),
                ...(options.scanSpreadAt === undefined ? {} : { spreadAt: options.scanSpreadAt }),
                ...(options.scanPool === undefined ? {} : { pool: options.scanPool }),
              });
      if (pump !== null) {
        const got = await pump.take(msg);
        if (got) {
          hold(msg.uid, got.entry);
          if (got.fresh) {
            store(msg.key, got.fresh.size, got.fresh.value);
            memo.set(folder.path, msg.uid, msg.key, got.fresh.size, got.entry);
          } else if (got.from === 'file') memo.set(folder.path, msg.uid, msg.key, fileSize(msg), got.entry);
          return;
        }
      } else {
        const found = await lookup(msg);
        if (found) {
          hold(msg.uid, found);
          return;
        }
      }
      const { s, real } = await load(f, msg, src);
      if (!real) return;
      const value = formatStructureEntry(s);
      const e = decodeStructureEntry(value)!;
      hold(msg.uid, e);
      store(msg.key, s.size.raw, value);
      memo.set(folder.path, msg.uid, msg.key, s.size.raw, e);
    },
    async envelope(f, msg, src, utf8) {
      const e = entryFor(f, msg);
      return e ? entryText(e, 'envelope', utf8) : base.envelope(f, msg, src, utf8);
    },
    async cachedEnvelope(f, msg, utf8) {
      if (f.path !== folder.path) return base.cachedEnvelope(f, msg, utf8);
      let e = held.get(msg.uid) ?? recall(msg);
      if (!e && messages.length * ENVELOPE_SHARE >= folder.messages.length) {
        e = await lookup(msg);
        if (e) hold(msg.uid, e);
      }
      if (e === undefined) return base.cachedEnvelope(f, msg, utf8);
      const t = entryText(e, 'envelope', utf8);
      return typeof t === 'string' ? Buffer.from(t, 'latin1') : t;
    },
    async bodyStructure(f, msg, src, extended, utf8) {
      const e = entryFor(f, msg);
      if (e) return entryText(e, extended ? 'bodyStructure' : 'body', utf8);
      return base.bodyStructure(f, msg, src, extended, utf8);
    },
    partSection: base.partSection,
    async end() {
      await pump?.close();
      flush();
      await writes;
      const r = reader;
      if (r === undefined) return;
      try {
        // A FETCH over the whole folder knows which entries are stale: clean up when they dominate.
        if (messages.length === folder.messages.length) {
          await r.drain();
          const st = r.stats;
          // The records of messages answered from memory were not wanted, yet they are not stale.
          const stale = st.unwanted - inMemory;
          if (st.damaged || (stale >= 64 && stale * 2 > st.records)) {
            const live = new Set(folder.messages.map((m) => m.key));
            await rewriteMessageCache(folder.path, (k) => live.has(k));
          }
        }
      } catch {
        // The cache is an optimisation: a failure to read or rewrite it changes no reply.
      } finally {
        held.clear();
        await r.close();
      }
    },
  };
}
