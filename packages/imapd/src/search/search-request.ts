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
}

/** Matching messages in sequence order; throws `NO [BADCHARSET]` for an unknown charset. */
export async function matchingMessages(
  target: SearchTarget,
  program: SearchProgram,
  cache: HeaderCache,
): Promise<{ msg: MessageInfo; seq: number }[]> {
  const compiled = compileSearch(program);
  if (!compiled.ok) throw new RefusedError(BADCHARSET_TEXT, { code: 'BADCHARSET' });
  return runSearch({ source: target.source, messages: target.messages }, compiled.search, cache);
}
