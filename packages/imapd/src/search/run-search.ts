/**
 * Runs a compiled SEARCH over the selected view: cheap keys first, then the header cache, then the
 * message files (on the scan workers for large folders, else here with read-ahead).
 */
import type { MessageInfo } from '@courier-ts/maildir';
import type { CompiledSearch } from './compile.js';
import {
  cachedResults,
  FIRST_READ_BODY,
  FIRST_READ_HEADERS,
  scanMessage,
  scanTopHeaders,
} from './content-scan.js';
import { evaluate, SetResolver, type Tri } from './evaluate.js';
import { type Prefix, sizeHint } from './file-read.js';
import type { HeaderCache, MessageSource } from './header-cache.js';
import { forEachWithPrefix } from './prefetch.js';
import { scanOnWorkers } from './scan-pool.js';

export interface SearchView {
  readonly source: MessageSource;
  /** The session's view in sequence order. */
  readonly messages: readonly MessageInfo[];
}

/** Messages read at the same time (file I/O overlaps the parsing of another message). */
const PARALLEL_READS = 4;
/** Fewer messages than this to read are not worth starting worker threads for. */
const MIN_FOR_WORKERS = 32;

interface Open {
  /** Index in the view. */
  readonly i: number;
  /** What the cache already answered (header keys), if anything. */
  readonly known: Tri[] | undefined;
}

/** Matching messages in sequence order (with their sequence numbers). */
export async function runSearch(
  view: SearchView,
  search: CompiledSearch,
  cache: HeaderCache,
): Promise<{ msg: MessageInfo; seq: number }[]> {
  const list = view.messages;
  const maxUid = list.length > 0 ? list[list.length - 1]!.uid : 0;
  const sets = new SetResolver(list.length, maxUid);
  const none: readonly Tri[] = new Array(search.content.length).fill(undefined);
  const verdict: boolean[] = new Array(list.length).fill(false);
  const open: number[] = [];
  for (let i = 0; i < list.length; i++) {
    const v = evaluate(search.root, { msg: list[i]!, seq: i + 1, content: none }, sets);
    if (v === undefined) open.push(i);
    else verdict[i] = v;
  }
  const settle = (i: number, content: readonly Tri[]): Tri =>
    evaluate(search.root, { msg: list[i]!, seq: i + 1, content }, sets);
  // Header keys the cache answers need no file at all.
  let toRead: Open[] = [];
  for (const i of open) {
    const known = search.needsBody ? undefined : cachedResults(view.source, cache, list[i]!, search.content);
    const v = known === undefined ? undefined : settle(i, known);
    if (v === undefined) toRead.push({ i, known });
    else verdict[i] = v;
  }
  const rawPath = view.source.rawPath?.bind(view.source);
  const size = (i: number): number => sizeHint(list[i]!.size, list[i]!.filename);
  if (rawPath && cache.workers && toRead.length >= MIN_FOR_WORKERS) {
    const job = {
      path: (t: Open) => rawPath(list[t.i]!),
      size: (t: Open) => size(t.i),
      known: (t: Open) => t.known ?? none,
      keys: search.content,
      collect: !search.needsBody,
    };
    toRead = await scanOnWorkers(cache.workers, toRead, job, (t, o) => {
      verdict[t.i] = settle(t.i, o.results) === true;
      if (o.values) cache.storeValues(view.source, list[t.i]!, o.values);
    });
  }
  const decide = async (i: number, known: Tri[] | undefined, prefix: Prefix | undefined): Promise<void> => {
    try {
      verdict[i] = await decideOne(i, known, prefix);
    } catch {
      // The file vanished under us (expunged or renamed by another process): it does not match.
      verdict[i] = false;
    }
  };
  const decideOne = async (i: number, cached: Tri[] | undefined, prefix: Prefix | undefined) => {
    const msg = list[i]!;
    let known = cached;
    let v: Tri;
    // With BODY/TEXT the file is streamed anyway: reading its header block first would read it twice.
    if (search.needsBody) {
      return settle(i, await scanMessage(view.source, msg, search.content, none, undefined, prefix)) === true;
    }
    if (!view.source.rawPath) {
      // Only a converting reader: the header block alone is much cheaper than the whole message.
      known = (await scanTopHeaders(view.source, cache, msg, search.content)).results;
      v = settle(i, known);
      if (v !== undefined) return v;
    }
    const all = await scanMessage(view.source, msg, search.content, known ?? none, cache, prefix);
    return settle(i, all) === true;
  };
  await forEachWithPrefix(
    toRead,
    {
      reader: toRead.length >= MIN_FOR_WORKERS ? cache.workers : undefined,
      path: rawPath && ((t) => rawPath(list[t.i]!)),
      size: (t) => size(t.i),
      max: search.needsBody ? FIRST_READ_BODY : FIRST_READ_HEADERS,
      parallel: PARALLEL_READS,
    },
    (t, prefix) => decide(t.i, t.known, prefix),
  );
  const out: { msg: MessageInfo; seq: number }[] = [];
  for (let i = 0; i < list.length; i++) if (verdict[i]) out.push({ msg: list[i]!, seq: i + 1 });
  return out;
}
