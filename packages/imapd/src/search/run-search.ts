/** Runs a compiled SEARCH over the selected view: cheap keys first, then headers, then bodies. */
import type { MessageInfo } from '@courier-ts/maildir';
import type { CompiledSearch } from './compile.js';
import { scanMessage, scanTopHeaders } from './content-scan.js';
import { evaluate, SetResolver, type Tri } from './evaluate.js';
import type { HeaderCache, MessageSource } from './header-cache.js';

export interface SearchView {
  readonly source: MessageSource;
  /** The session's view in sequence order. */
  readonly messages: readonly MessageInfo[];
}

/** Messages read at the same time (file I/O overlaps the parsing of another message). */
const PARALLEL_READS = 4;

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
  const decide = async (i: number): Promise<void> => {
    try {
      verdict[i] = await decideOne(i);
    } catch {
      // The file vanished under us (expunged or renamed by another process): it does not match.
      verdict[i] = false;
    }
  };
  const decideOne = async (i: number): Promise<boolean> => {
    const msg = list[i]!;
    const seq = i + 1;
    // With BODY/TEXT the file is streamed anyway: reading its header block first would read it twice.
    const top = search.needsBody
      ? { results: none }
      : await scanTopHeaders(view.source, cache, msg, search.content);
    let v = search.needsBody ? undefined : evaluate(search.root, { msg, seq, content: top.results }, sets);
    if (v === undefined) {
      const all = await scanMessage(view.source, msg, search.content, top.results);
      v = evaluate(search.root, { msg, seq, content: all }, sets) === true;
    }
    return v;
  };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < open.length) await decide(open[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_READS, open.length) }, worker));
  const out: { msg: MessageInfo; seq: number }[] = [];
  for (let i = 0; i < list.length; i++) if (verdict[i]) out.push({ msg: list[i]!, seq: i + 1 });
  return out;
}
