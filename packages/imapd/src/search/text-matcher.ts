/**
 * Courier's text comparison for SEARCH: case-insensitive (full Unicode case folding, no accent
 * folding), every run of white space equal to one space. `TextMatcher` finds a needle in text that
 * arrives in decoded chunks, keeping only the needle's length of context between chunks.
 */

const WHITESPACE_RUN = /[\s\u00a0]+/g;
const WHITESPACE_TEST = /[\s\u00a0]/;

/** Fold one piece of text for comparison (`lastWasSpace` carries the white-space state across pieces). */
export function foldText(text: string, state: { lastWasSpace: boolean }): string {
  let s = text.toLowerCase().replace(WHITESPACE_RUN, ' ');
  if (state.lastWasSpace && s.startsWith(' ')) s = s.slice(1);
  if (s.length > 0) state.lastWasSpace = s.endsWith(' ');
  return s;
}

/** The folded form of a search string (leading/trailing white space kept as one space). */
export function foldNeedle(text: string): string {
  return text.toLowerCase().replace(WHITESPACE_RUN, ' ');
}

/** Streaming substring test over decoded chunks. */
export class TextMatcher {
  readonly needle: string;
  #found: boolean;
  #carry = '';
  readonly #state = { lastWasSpace: false };
  /** A needle without white space cannot span a white-space run: lower-casing is all it needs. */
  readonly #plain: boolean;

  constructor(foldedNeedle: string) {
    this.needle = foldedNeedle;
    this.#found = foldedNeedle.length === 0;
    this.#plain = !WHITESPACE_TEST.test(foldedNeedle);
  }

  get found(): boolean {
    return this.#found;
  }

  /** Feed decoded text; returns `found`. */
  push(text: string): boolean {
    if (this.#found || text.length === 0) return this.#found;
    const folded = this.#plain ? text.toLowerCase() : foldText(text, this.#state);
    const hay = this.#carry + folded;
    if (hay.includes(this.needle)) {
      this.#found = true;
      this.#carry = '';
      return true;
    }
    const keep = this.needle.length - 1;
    this.#carry = keep > 0 ? hay.slice(-keep) : '';
    return false;
  }

  /** A hard break between unrelated texts (two header fields): no match spans it except as white space. */
  separate(): void {
    this.push('\n');
  }
}

/** One-shot: does `text` contain the folded needle? */
export function containsFolded(text: string, foldedNeedle: string): boolean {
  if (foldedNeedle.length === 0) return true;
  // A needle without white space cannot meet a folded white-space run: lower-casing is enough.
  if (!WHITESPACE_TEST.test(foldedNeedle)) return text.toLowerCase().includes(foldedNeedle);
  return foldText(text, { lastWasSpace: false }).includes(foldedNeedle);
}
