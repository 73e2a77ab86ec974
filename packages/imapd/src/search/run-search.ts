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
  const out: { msg: MessageInfo; seq: number }[] = [];
  for (let i = 0; i < list.length; i++) {
    const msg = list[i]!;
    const seq = i + 1;
    let v = evaluate(search.root, { msg, seq, content: none }, sets);
    if (v === undefined) {
      const top = await scanTopHeaders(view.source, cache, msg, search.content);
      v = evaluate(search.root, { msg, seq, content: top.results }, sets);
      if (v === undefined) {
        const all = await scanMessage(view.source, msg, search.content, top.results);
        v = evaluate(search.root, { msg, seq, content: all }, sets) === true;
      }
    }
    if (v) out.push({ msg, seq });
  }
  return out;
}
