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
  /** Some item needs the message body (read whole when small). */
  readonly needBody: boolean;
  /** Some item is a body section (HEADER.FIELDS alone needs only the header block). */
  readonly needHeader: boolean;
  /** Some item reads the message file (a section, ENVELOPE, BODY, BODYSTRUCTURE). */
  readonly needSource: boolean;
}

function readsFile(i: FetchItem): boolean {
  return isBodyItem(i) || i.kind === 'ENVELOPE' || i.kind === 'BODY' || i.kind === 'BODYSTRUCTURE';
}

function isBodyItem(i: FetchItem): boolean {
  return i.kind === 'BODY[]' || i.kind === 'RFC822' || i.kind === 'RFC822.HEADER' || i.kind === 'RFC822.TEXT';
}

/** Whether an item needs more than the top-level header block (HEADER.FIELDS alone reads only that). */
function readsBody(i: FetchItem): boolean {
  if (i.kind !== 'BODY[]') return isBodyItem(i);
  const s = i.section;
  return !(s.part.length === 0 && (s.specifier === 'HEADER.FIELDS' || s.specifier === 'HEADER.FIELDS.NOT'));
}

export function parseFetch(args: readonly ImapToken[], cmd: ParsedCommand): FetchInput {
  const r = new ArgReader(args);
  if (r.remaining < 2) throw new InvalidCommandError('FETCH needs a set and items');
  const set = r.sequenceSet();
  let items = parseFetchAttributes(r.token('fetch attributes'));
  r.end();
  // UID FETCH: `UID n` comes first, once (Courier).
  if (cmd.uid) items = [{ kind: 'UID' }, ...items.filter((i) => i.kind !== 'UID')];
  return {
    set,
    items,
    setsSeen: fetchSetsSeen(items),
    needBody: items.some(readsBody),
    needHeader: items.some(isBodyItem),
    needSource: items.some(readsFile),
  };
}
