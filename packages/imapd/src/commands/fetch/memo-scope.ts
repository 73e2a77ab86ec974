/**
 * The scope of a short FETCH (fewer messages than make reading the folder's cache file worth it):
 * ENVELOPE, BODYSTRUCTURE and BODY of a message whose formatted entry is in the provider's memo
 * (structure-memo.ts: same UID, unique key and size) are sent from there without opening the
 * message file; the others go to the provider as before. A mail client's "FETCH n-19:n (...
 * ENVELOPE)" over a folder fetched whole once is answered from memory.
 */
import type { Folder, MessageInfo } from '@courier-ts/maildir';
import { entryText, type StructureEntry } from '../../message/structure-entry.js';
import type { StructureProvider, StructureScope } from './structure.js';
import type { StructureMemo } from './structure-memo.js';

export function createMemoScope(
  base: StructureProvider,
  folder: Folder,
  memo: StructureMemo,
): StructureScope {
  const memoized = memo.folder(folder.path);
  /** Entries found for this FETCH's messages, by UID (a short FETCH: a few dozen at most). */
  const held = new Map<number, StructureEntry>();
  const recall = (f: Folder, msg: MessageInfo): StructureEntry | undefined => {
    if (f.path !== folder.path || memoized === undefined) return undefined;
    const e = held.get(msg.uid) ?? memo.get(memoized, msg.uid, msg.filename, msg.size);
    if (e !== undefined) held.set(msg.uid, e);
    return e;
  };
  return {
    begin: base.begin,
    async prepare(f, msg, src) {
      if (recall(f, msg) === undefined) await base.prepare(f, msg, src);
    },
    async envelope(f, msg, src, utf8) {
      const e = recall(f, msg);
      return e ? entryText(e, 'envelope', utf8) : base.envelope(f, msg, src, utf8);
    },
    async cachedEnvelope(f, msg, utf8) {
      const e = recall(f, msg);
      if (e === undefined) return base.cachedEnvelope(f, msg, utf8);
      const t = entryText(e, 'envelope', utf8);
      return typeof t === 'string' ? Buffer.from(t, 'latin1') : t;
    },
    async bodyStructure(f, msg, src, extended, utf8) {
      const e = recall(f, msg);
      return e
        ? entryText(e, extended ? 'bodyStructure' : 'body', utf8)
        : base.bodyStructure(f, msg, src, extended, utf8);
    },
    partSection: base.partSection,
    async end() {
      held.clear();
    },
  };
}
