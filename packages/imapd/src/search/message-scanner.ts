/**
 * One message's content keys answered from its bytes, fed in pieces (by the main thread or a scan
 * worker): every header block goes to the header-type keys (and TEXT), decoded text parts to TEXT
 * and BODY. Optionally collects the often-searched header values for the cache.
 */
import type { ContentKey } from './compile.js';
import { matchDay, type Tri } from './evaluate.js';
import { contentInfo, type HeaderField } from './header-fields.js';
import { type HeaderValues, ValuesCollector } from './header-values.js';
import { MimeWalker } from './mime-walker.js';
import { compareDays, parseSentDate } from './sent-date.js';
import { containsFolded, TextMatcher } from './text-matcher.js';

export const isHeaderKey = (k: ContentKey): boolean => k.k === 'header' || k.k === 'sent';

/** One header block alone: not multipart/*, not message/*. */
export function isSingleBlock(fields: readonly HeaderField[]): boolean {
  const type = contentInfo(fields).type;
  return !type.startsWith('multipart/') && !type.startsWith('message/');
}

/** Header keys and SENT* over one header block: sets `true` results. */
export function scanBlock(fields: readonly HeaderField[], keys: readonly ContentKey[], out: Tri[]): void {
  for (const key of keys) {
    if (out[key.id] === true) continue;
    if (key.k === 'header') {
      for (const f of fields) {
        if (f.name.toLowerCase() === key.field && containsFolded(f.value, key.needle)) {
          out[key.id] = true;
          break;
        }
      }
    } else if (key.k === 'sent') {
      if (key.date === null) continue;
      for (const f of fields) {
        if (f.name.toLowerCase() !== 'date') continue;
        const d = parseSentDate(f.value);
        if (d && matchDay(key.op, compareDays(d, key.date))) {
          out[key.id] = true;
          break;
        }
      }
    }
  }
}

export interface ScanOutcome {
  /** Every content key answered (true/false). */
  readonly results: Tri[];
  /** The header values seen, when collecting (undefined: nothing worth keeping). */
  readonly values: HeaderValues | undefined;
}

export class MessageScanner {
  readonly #results: Tri[];
  readonly #headerKeys: readonly ContentKey[];
  readonly #texts: { k: ContentKey; m: TextMatcher }[];
  readonly #bodies: { k: ContentKey; m: TextMatcher }[];
  readonly #collect: ValuesCollector | undefined;
  readonly #walker: MimeWalker;
  #blocks = 0;
  #single = false;
  /** Reading stopped before the end because every key was answered. */
  #cut = false;

  /** `collect`: gather header values (only without BODY/TEXT keys). */
  constructor(keys: readonly ContentKey[], known: readonly Tri[], collect: boolean) {
    const results: Tri[] = [...known];
    this.#results = results;
    this.#headerKeys = keys.filter((k) => isHeaderKey(k) && results[k.id] !== true);
    const matchers = (kind: 'text' | 'body') =>
      keys.flatMap((k) =>
        k.k === kind && results[k.id] !== true ? [{ k, m: new TextMatcher(k.needle) }] : [],
      );
    const texts = matchers('text');
    const bodies = matchers('body');
    this.#texts = texts;
    this.#bodies = bodies;
    this.#collect = collect && !this.wantText ? new ValuesCollector() : undefined;
    this.#walker = new MimeWalker(
      {
        headers: (fields) => {
          if (this.#blocks++ === 0) this.#single = isSingleBlock(fields);
          this.#collect?.add(fields);
          scanBlock(fields, this.#headerKeys, results);
          for (const t of texts) {
            for (const f of fields) t.m.push(`${f.name}: ${f.value}\n`);
            t.m.separate();
          }
        },
        text(chunk) {
          for (const t of texts) t.m.push(chunk);
          for (const b of bodies) b.m.push(chunk);
        },
      },
      { text: this.wantText },
    );
  }

  /** Some key needs decoded body text (BODY/TEXT). */
  get wantText(): boolean {
    return this.#texts.length + this.#bodies.length > 0;
  }

  #pending(): boolean {
    return (
      this.#headerKeys.some((k) => this.#results[k.id] !== true) ||
      this.#texts.some((t) => !t.m.found) ||
      this.#bodies.some((b) => !b.m.found)
    );
  }

  /** Feeds the next bytes; false = nothing more can change the answers (stop reading). */
  push(chunk: Buffer): boolean {
    this.#walker.push(chunk);
    if (this.#walker.done) return false;
    if (!this.#pending()) {
      this.#cut = true;
      return false;
    }
    return true;
  }

  finish(): ScanOutcome {
    this.#walker.end();
    const results = this.#results;
    for (const k of this.#headerKeys) results[k.id] = results[k.id] === true;
    for (const t of this.#texts) results[t.k.id] = t.m.found;
    for (const b of this.#bodies) results[b.k.id] = b.m.found;
    let values: HeaderValues | undefined;
    if (this.#collect && this.#blocks > 0) {
      const whole = !this.#cut;
      const packed = this.#collect.pack(!whole);
      if (packed) values = { ...packed, complete: whole || this.#single, single: this.#single };
    }
    return { results, values };
  }
}
