/** THREAD and UID THREAD (RFC 5256): ORDEREDSUBJECT and REFERENCES. */

import { BadCommandError } from '../errors.js';
import { tokenText } from '../protocol/arg-reader.js';
import type { SearchProgram } from '../protocol/search-keys.js';
import type { HeaderCache } from '../search/header-cache.js';
import { folderTarget, matchingMessages, metaFor, parseCharsetAndKeys } from '../search/search-request.js';
import { orderedSubject } from '../search/thread-ordered-subject.js';
import { references } from '../search/thread-references.js';
import { formatThreads } from '../search/thread-tree.js';
import { type ImapCommand, ok } from '../session/command.js';
import { SELECTED } from '../session/state.js';
import type { ImapSessionSettings } from '../settings.js';

type Algorithm = 'ORDEREDSUBJECT' | 'REFERENCES';

interface ThreadInput {
  readonly algorithm: Algorithm;
  readonly program: SearchProgram;
}

export function threadCommand(cache: HeaderCache) {
  return {
    name: 'THREAD',
    uid: 'allowed',
    disabled: (settings: ImapSessionSettings) => settings.disableThreadSort,
    states: SELECTED,
    flags: { usesSequence: true },
    capabilities: ['THREAD=ORDEREDSUBJECT', 'THREAD=REFERENCES'],
    parse(args) {
      const [alg, charset, ...rest] = args;
      const algorithm = alg?.type === 'atom' ? alg.value.toUpperCase() : '';
      if (algorithm !== 'ORDEREDSUBJECT' && algorithm !== 'REFERENCES') {
        throw new BadCommandError('unknown THREAD algorithm');
      }
      if (charset === undefined || tokenText(charset) === null || rest.length === 0) {
        throw new BadCommandError('THREAD needs a charset and search keys');
      }
      return { algorithm, program: parseCharsetAndKeys(charset, rest) };
    },
    async run(ctx, input) {
      const mb = ctx.mailbox();
      const target = folderTarget(mb.folder);
      const hits = await matchingMessages(target, input.program, cache);
      const meta = await metaFor(target, cache, hits, false);
      const roots = input.algorithm === 'REFERENCES' ? references(meta) : orderedSubject(meta);
      const list = formatThreads(roots, (m) => (ctx.uid ? m.msg.uid : m.seq));
      await ctx.untagged(list.length > 0 ? `THREAD ${list}` : 'THREAD');
      return ok('THREAD done.');
    },
  } satisfies ImapCommand<ThreadInput>;
}
