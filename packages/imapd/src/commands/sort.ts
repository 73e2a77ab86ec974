/** SORT and UID SORT (RFC 5256). */

import { BadCommandError } from '../errors.js';
import { tokenText } from '../protocol/arg-reader.js';
import type { SearchProgram } from '../protocol/search-keys.js';
import type { HeaderCache } from '../search/header-cache.js';
import { folderTarget, matchingMessages, metaFor, parseCharsetAndKeys } from '../search/search-request.js';
import { parseSortCriteria, type SortCriterion, sortMessages } from '../search/sort.js';
import { type ImapCommand, ok } from '../session/command.js';
import { SELECTED } from '../session/state.js';
import type { ImapSessionSettings } from '../settings.js';

interface SortInput {
  readonly criteria: readonly SortCriterion[];
  readonly program: SearchProgram;
}

export function sortCommand(cache: HeaderCache) {
  return {
    name: 'SORT',
    uid: 'allowed',
    disabled: (settings: ImapSessionSettings) => settings.disableThreadSort,
    states: SELECTED,
    flags: { usesSequence: true },
    capabilities: ['SORT'],
    parse(args) {
      const [list, charset, ...rest] = args;
      if (list?.type !== 'list' || charset === undefined || rest.length === 0) {
        throw new BadCommandError('SORT needs criteria, a charset and search keys');
      }
      const words = list.items.map((t) => (t.type === 'atom' ? t.value : null));
      const criteria = words.includes(null) ? undefined : parseSortCriteria(words as string[]);
      if (!criteria || tokenText(charset) === null) throw new BadCommandError('bad SORT criteria');
      return { criteria, program: parseCharsetAndKeys(charset, rest) };
    },
    async run(ctx, input) {
      const mb = ctx.mailbox();
      const target = folderTarget(mb.folder);
      const hits = await matchingMessages(target, input.program, cache);
      // ARRIVAL and SIZE need every message measured (lazily opened folders); DATE only the undated.
      const details = input.criteria.some((c) => c.key === 'ARRIVAL' || c.key === 'SIZE');
      const sorted = sortMessages(await metaFor(target, cache, hits, details), input.criteria);
      const ids = sorted.map((m) => (ctx.uid ? m.msg.uid : m.seq));
      await ctx.untagged(ids.length > 0 ? `SORT ${ids.join(' ')}` : 'SORT');
      return ok('SORT done.');
    },
  } satisfies ImapCommand<SortInput>;
}
