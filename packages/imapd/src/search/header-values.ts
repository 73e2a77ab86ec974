/**
 * The header fields SEARCH keys most often name (FROM, TO, CC, BCC, SUBJECT, SENT*, HEADER Message-ID
 * ...), kept per message in one packed string so a second search of a large folder reads no file:
 * `name:value` items (names lower case, values decoded) joined by NUL. A key on another field, or a
 * message whose header blocks were not all seen, falls back to reading the file.
 */
import type { ContentKey } from './compile.js';
import { matchDay, type Tri } from './evaluate.js';
import type { HeaderField } from './header-fields.js';
import { compareDays, parseSentDate } from './sent-date.js';
import { containsFolded } from './text-matcher.js';

export const CACHED_FIELDS: ReadonlySet<string> = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'subject',
  'date',
  'message-id',
  'in-reply-to',
  'references',
  'reply-to',
  'sender',
]);

/** SORT/THREAD read these undecoded: kept only where decoding changes nothing. */
const RAW_FIELDS: ReadonlySet<string> = new Set(['message-id', 'in-reply-to', 'references']);

/** A message's packed values: longer ones are not kept (their message is simply read again). */
const MAX_ITEMS_LENGTH = 8192;

export interface HeaderValues {
  readonly items: string;
  /** `items.slice(0, topLength)` are the top-level block's (SORT/THREAD facts come from them). */
  readonly topLength: number;
  /** `items` holds every header block of the message (else only the top-level block). */
  readonly complete: boolean;
  /** The message has one header block (not multipart/*, not message/*): top level = all. */
  readonly single: boolean;
}

/** Collects the cached fields of the header blocks a scan sees; the first block is the top level. */
export class ValuesCollector {
  #parts: string[] = [];
  #topParts = -1;
  #length = 0;
  #ok = true;

  add(fields: readonly HeaderField[]): void {
    if (this.#ok) {
      for (const f of fields) {
        const name = f.name.toLowerCase();
        if (!CACHED_FIELDS.has(name)) continue;
        if (f.value.includes('\0') || (RAW_FIELDS.has(name) && f.raw !== f.value)) {
          this.#ok = false;
          break;
        }
        this.#parts.push(`${name}:${f.value}`);
        this.#length += name.length + f.value.length + 2;
      }
      if (this.#length > MAX_ITEMS_LENGTH) this.#ok = false;
    }
    if (this.#topParts < 0) this.#topParts = this.#parts.length;
  }

  /**
   * The packed items (all blocks added, or only the top-level one), or undefined when they are not
   * worth keeping (too long, NUL inside, an id field that decoding would change).
   */
  pack(topOnly: boolean): { items: string; topLength: number } | undefined {
    if (!this.#ok || this.#topParts < 0) return undefined;
    const top = this.#parts.slice(0, this.#topParts).join('\0');
    const rest = topOnly ? [] : this.#parts.slice(this.#topParts);
    const joined = rest.length === 0 ? top : `${top}\0${rest.join('\0')}`;
    // A fresh flat copy: the values are slices of whole header blocks, which must not stay alive.
    const items = joined.length === 0 ? '' : Buffer.from(joined, 'utf8').toString('utf8');
    return { items, topLength: top.length };
  }
}

/** The top-level block's kept fields, as header fields (SORT/THREAD facts without reading the file). */
export function topFields(v: HeaderValues): HeaderField[] {
  if (v.topLength === 0) return [];
  return v.items
    .slice(0, v.topLength)
    .split('\0')
    .map((it) => {
      const colon = it.indexOf(':');
      const value = it.slice(colon + 1);
      return { name: it.slice(0, colon), value, raw: value };
    });
}

/** The field a header-type key reads (`date` for SENT*). */
function fieldOf(key: ContentKey): string | undefined {
  if (key.k === 'header') return key.field;
  if (key.k === 'sent') return 'date';
  return undefined;
}

function itemMatches(key: ContentKey, value: string): boolean {
  if (key.k === 'header') return containsFolded(value, key.needle);
  if (key.k !== 'sent' || key.date === null) return false;
  const d = parseSentDate(value);
  return d !== undefined && matchDay(key.op, compareDays(d, key.date));
}

/**
 * Answers the header-type keys from cached values into `results` (true, false, or left undefined
 * when the cache cannot tell). Returns true when every key in `keys` is now answered.
 */
export function answerFromValues(v: HeaderValues, keys: readonly ContentKey[], results: Tri[]): boolean {
  let all = true;
  const items = v.items;
  for (const key of keys) {
    if (results[key.id] === true) continue;
    const field = fieldOf(key);
    if (field === undefined || !CACHED_FIELDS.has(field)) {
      all = false;
      continue;
    }
    // Items of this field: `field:` at the start or after a NUL.
    const prefix = `${field}:`;
    let found = false;
    let at = items.startsWith(prefix) ? 0 : items.indexOf(`\0${prefix}`);
    while (at >= 0 && !found) {
      const start = at === 0 && items.startsWith(prefix) ? prefix.length : at + 1 + prefix.length;
      const end = items.indexOf('\0', start);
      found = itemMatches(key, items.slice(start, end < 0 ? undefined : end));
      at = end < 0 ? -1 : items.indexOf(`\0${prefix}`, end);
    }
    if (found) results[key.id] = true;
    else if (v.complete || v.single) results[key.id] = false;
    else all = false;
  }
  return all;
}
