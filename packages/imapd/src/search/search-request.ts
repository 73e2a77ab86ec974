/**
 * What SEARCH, SORT and THREAD share: criteria (with CHARSET) -> the messages of the selected view
 * that match, and Courier's `[BADCHARSET]` refusal.
 */
import { join } from 'node:path';
import type { Folder, MessageInfo } from '@courier-ts/maildir';
import { RefusedError } from '../errors.js';
import { parseSearchKeys, type SearchProgram } from '../protocol/search-keys.js';
import type { ImapToken } from '../protocol/tokens.js';
import { compileSearch } from './compile.js';
import type { HeaderCache, MessageSource } from './header-cache.js';
import { loadMeta, type MessageMeta, withMessage } from './message-meta.js';
import { runSearch } from './run-search.js';

export const BADCHARSET_TEXT = 'The requested character set is not supported.';

/** SORT/THREAD: `charset 1*search-key` (the charset is mandatory there). */
export function parseCharsetAndKeys(charset: ImapToken, rest: readonly ImapToken[]): SearchProgram {
  return parseSearchKeys([{ type: 'atom', value: 'CHARSET' }, charset, ...rest]);
}

/** A selected folder as search reads it (message files read directly from cur/). */
export function folderSource(folder: Folder): MessageSource {
  return {
    path: folder.path,
    readHeaders: (m, max) => folder.readHeaders(m, max),
    openMessage: (m) => folder.openMessage(m),
    rawPath: (m) => join(folder.path, 'cur', m.filename),
  };
}

export interface SearchTarget {
  readonly source: MessageSource;
  readonly messages: readonly MessageInfo[];
  /** Folder.measure: size and INTERNALDATE of lazily opened folders. */
  readonly measure?: (msgs: readonly MessageInfo[]) => Promise<readonly MessageInfo[]>;
}

/** The folder as a search target (its view, read directly, measured on demand). */
export function folderTarget(folder: Folder): SearchTarget {
  return { source: folderSource(folder), messages: folder.messages, measure: (m) => folder.measure(m) };
}

/** `msgs` with size and INTERNALDATE known (same order; a message that vanished keeps its old info). */
export async function measured(target: SearchTarget, msgs: readonly MessageInfo[]): Promise<MessageInfo[]> {
  if (!target.measure || msgs.every((m) => !Number.isNaN(m.size))) return [...msgs];
  const known = new Map((await target.measure(msgs)).map((m) => [m.uid, m]));
  return msgs.map((m) => known.get(m.uid) ?? m);
}

/** Matching messages in sequence order; throws `NO [BADCHARSET]` for an unknown charset. */
export async function matchingMessages(
  target: SearchTarget,
  program: SearchProgram,
  cache: HeaderCache,
): Promise<{ msg: MessageInfo; seq: number }[]> {
  const compiled = compileSearch(program);
  if (!compiled.ok) throw new RefusedError(BADCHARSET_TEXT, { code: 'BADCHARSET' });
  const messages = compiled.search.needsDetails ? await measured(target, target.messages) : target.messages;
  return runSearch({ source: target.source, messages }, compiled.search, cache);
}

/**
 * SORT/THREAD facts for the matching messages. Sizes and INTERNALDATEs are measured only where
 * needed: all of them for ARRIVAL/SIZE (`details`), else only messages without a usable Date header.
 */
export async function metaFor(
  target: SearchTarget,
  cache: HeaderCache,
  hits: readonly { msg: MessageInfo; seq: number }[],
  details: boolean,
): Promise<MessageMeta[]> {
  let items = hits;
  if (details) {
    const infos = await measured(
      target,
      hits.map((h) => h.msg),
    );
    items = hits.map((h, i) => ({ msg: infos[i]!, seq: h.seq }));
  }
  const meta = await loadMeta(target.source, cache, items);
  const undated = meta.flatMap((m, i) =>
    m.headerSentMs === undefined && Number.isNaN(m.msg.mtime.getTime()) ? [i] : [],
  );
  if (undated.length > 0) {
    const infos = await measured(
      target,
      undated.map((i) => meta[i]!.msg),
    );
    undated.forEach((i, k) => {
      meta[i] = withMessage(meta[i]!, infos[k]!, meta[i]!.seq);
    });
  }
  return meta;
}
