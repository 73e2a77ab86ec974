/** FETCH / UID FETCH arguments -> typed input. */
import { InvalidCommandError } from '../../errors.js';
import { ArgReader } from '../../protocol/arg-reader.js';
import { type FetchItem, fetchSetsSeen, parseFetchAttributes } from '../../protocol/fetch-attributes.js';
import type { SequenceSet } from '../../protocol/sequence-set.js';
import type { ImapToken, ParsedCommand } from '../../protocol/tokens.js';

export interface FetchInput {
  readonly set: SequenceSet;
  readonly items: readonly FetchItem[];
  readonly setsSeen: boolean;
  readonly needBody: boolean;
}

export function parseFetch(args: readonly ImapToken[], cmd: ParsedCommand): FetchInput {
  const r = new ArgReader(args);
  if (r.remaining < 2) throw new InvalidCommandError('FETCH needs a set and items');
  const set = r.sequenceSet();
  let items = parseFetchAttributes(r.token('fetch attributes'));
  r.end();
  // UID FETCH: `UID n` comes first, once (Courier).
  if (cmd.uid) items = [{ kind: 'UID' }, ...items.filter((i) => i.kind !== 'UID')];
  const needBody = items.some(
    (i) =>
      i.kind === 'BODY[]' || i.kind === 'RFC822' || i.kind === 'RFC822.HEADER' || i.kind === 'RFC822.TEXT',
  );
  return { set, items, setsSeen: fetchSetsSeen(items), needBody };
}
