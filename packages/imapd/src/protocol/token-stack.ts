import type { ImapToken } from './tokens.js';

/** Tag, command name (UID folded in) and the arguments of the line so far. */
export interface CommandHead {
  readonly tag: string | null;
  readonly name: string | null;
  readonly uid: boolean;
  readonly rest: readonly ImapToken[];
}

/** The tokens of the command line being read, with open lists as a stack. */
export class TokenStack {
  #stack: ImapToken[][] = [[]];
  #count = 0;

  /** Open lists (0 = at top level). */
  get depth(): number {
    return this.#stack.length - 1;
  }

  /** Tokens so far, nested ones and lists included. */
  get count(): number {
    return this.#count;
  }

  get empty(): boolean {
    return this.#stack.length === 1 && this.#stack[0]!.length === 0;
  }

  /** Counts one more token (a list counts when opened). */
  countToken(): number {
    return ++this.#count;
  }

  push(token: ImapToken): void {
    this.#stack[this.#stack.length - 1]!.push(token);
  }

  open(): void {
    this.#stack.push([]);
  }

  /** Closes the innermost list; false if none is open. */
  close(): boolean {
    if (this.#stack.length === 1) return false;
    const items = this.#stack.pop()!;
    this.push({ type: 'list', items });
    return true;
  }

  head(): CommandHead {
    const t = this.#stack[0]!;
    const [t0, t1, t2] = t;
    const tag = t0?.type === 'atom' ? t0.value : null;
    const name = t1?.type === 'atom' ? t1.value.toUpperCase() : null;
    if (name === 'UID' && t2?.type === 'atom') {
      return { tag, name: t2.value.toUpperCase(), uid: true, rest: t.slice(3) };
    }
    return { tag, name, uid: false, rest: t.slice(2) };
  }

  reset(): void {
    this.#stack = [[]];
    this.#count = 0;
  }
}
