/**
 * One FETCH's view of the folder's persistent structure cache (maildir `courier-ts.structure`):
 * ENVELOPE, BODYSTRUCTURE and BODY of a message found there are sent as stored, without opening
 * the message file; the others are scanned and appended. The cache file is read forward once,
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
import type { MessageSource } from './source.js';
import type { Scanned, StructureProvider, StructureScope } from './structure.js';
import { StructurePump } from './structure-pump.js';

export interface StructureProviderOptions {
  /** Use the folders' persistent structure cache (default true). */
  readonly persistent?: boolean;
  /** Fewest messages in a FETCH for the persistent cache to be read (default 32). */
  readonly minMessages?: number;
}

type Load = (folder: Folder, msg: MessageInfo, src: MessageSource) => Promise<Scanned>;

/** Decoded entries held (run.ts prepares at most 32 messages ahead of the one written). */
const HELD = 128;
const APPEND_AT = 256 * 1024;

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
  if (options.persistent === false || messages.length < (options.minMessages ?? 32)) return passThrough;

  let reader: MessageCacheReader | undefined;
  /** Read-ahead with a worker, unless the FETCH reads messages whole anyway (then they are scanned here). */
  let pump: StructurePump | null | undefined;
  /** Entries of the messages prepared last, by UID. */
  const held = new Map<number, StructureEntry>();
  let pending: CacheRecord[] = [];
  let pendingBytes = 0;
  let writes: Promise<void> = Promise.resolve();

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
  const open = (): MessageCacheReader =>
    (reader ??= new MessageCacheReader(folder.path, new Set(messages.map((m) => m.key))));
  const lookup = async (msg: MessageInfo): Promise<StructureEntry | undefined> => {
    const value = await open()
      .get(msg.key, fileSize(msg))
      .catch(() => undefined);
    return value === undefined ? undefined : decodeStructureEntry(value);
  };
  const entryFor = (f: Folder, msg: MessageInfo): StructureEntry | undefined =>
    f.path === folder.path ? held.get(msg.uid) : undefined;

  return {
    begin: base.begin,
    async prepare(f, msg, src) {
      if (f.path !== folder.path) return base.prepare(f, msg, src);
      if (pump === undefined)
        pump = src.raw || src.whole ? null : new StructurePump(folder, messages, open());
      if (pump !== null) {
        const got = await pump.take(msg);
        if (got) {
          hold(msg.uid, got.entry);
          if (got.fresh) store(msg.key, got.fresh.size, got.fresh.value);
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
      hold(msg.uid, decodeStructureEntry(value)!);
      store(msg.key, s.size.raw, value);
    },
    async envelope(f, msg, src, utf8) {
      const e = entryFor(f, msg);
      return e ? entryText(e, 'envelope', utf8) : base.envelope(f, msg, src, utf8);
    },
    async cachedEnvelope(f, msg, utf8) {
      if (f.path !== folder.path) return base.cachedEnvelope(f, msg, utf8);
      let e = held.get(msg.uid);
      if (!e && messages.length * ENVELOPE_SHARE >= folder.messages.length) {
        e = await lookup(msg);
        if (e) hold(msg.uid, e);
      }
      return e ? entryText(e, 'envelope', utf8) : base.cachedEnvelope(f, msg, utf8);
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
          if (st.damaged || (st.unwanted >= 64 && st.unwanted * 2 > st.records)) {
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
