/** SEARCH and UID SEARCH (RFC 3501 6.4.4 with Courier's matching rules: src/search/). */
import { BadCommandError } from '../errors.js';
import { parseSearchKeys, type SearchProgram } from '../protocol/search-keys.js';
import { HeaderCache, type HeaderCacheOptions } from '../search/header-cache.js';
import { folderTarget, matchingMessages } from '../search/search-request.js';
import { type AnyImapCommand, type ImapCommand, ok } from '../session/command.js';
import { SELECTED } from '../session/state.js';
import { sortCommand } from './sort.js';
import { threadCommand } from './thread.js';

export function searchCommand(cache: HeaderCache) {
  return {
    name: 'SEARCH',
    uid: 'allowed',
    states: SELECTED,
    flags: { usesSequence: true },
    parse(args) {
      if (args.length === 0) throw new BadCommandError('SEARCH needs criteria');
      return parseSearchKeys(args);
    },
    async run(ctx, program) {
      const mb = ctx.mailbox();
      const hits = await matchingMessages(folderTarget(mb.folder), program, cache);
      const ids = hits.map((h) => (ctx.uid ? h.msg.uid : h.seq));
      await ctx.untagged(ids.length > 0 ? `SEARCH ${ids.join(' ')}` : 'SEARCH');
      return ok('SEARCH done.');
    },
  } satisfies ImapCommand<SearchProgram>;
}

/** SEARCH, SORT and THREAD sharing one header cache (one per registry, i.e. per server). */
export function searchFamilyCommands(options: HeaderCacheOptions = {}): readonly AnyImapCommand[] {
  const cache = new HeaderCache(options);
  return [searchCommand(cache), sortCommand(cache), threadCommand(cache)];
}
