/**
 * Three-valued evaluation of a compiled SEARCH key for one message: `undefined` = needs content
 * not read yet. Cheap keys (flags, sequence, dates, size) settle most messages without I/O.
 */
import type { MessageInfo } from '@courier-ts/maildir';
import { type NumberRanges, rangesContain, resolveSequenceSet } from '../protocol/sequence-set.js';
import type { CompiledKey, DateOp } from './compile.js';
import { compareDays } from './sent-date.js';

export type Tri = boolean | undefined;

/** What evaluation knows about the mailbox and the message. */
export interface MessageFacts {
  readonly msg: MessageInfo;
  /** 1-based sequence number. */
  readonly seq: number;
  /** Per content-key results; undefined entries = not known yet. */
  readonly content: readonly Tri[];
}

/** Sequence/UID sets resolved once per command against the view. */
export class SetResolver {
  readonly #cache = new Map<object, NumberRanges>();
  constructor(
    private readonly count: number,
    private readonly maxUid: number,
  ) {}
  ranges(key: { k: 'seq' | 'uid'; set: object }): NumberRanges {
    let r = this.#cache.get(key);
    if (r === undefined) {
      const set = (key as { set: Parameters<typeof resolveSequenceSet>[0] }).set;
      r = resolveSequenceSet(set, key.k === 'seq' ? this.count : this.maxUid);
      this.#cache.set(key, r);
    }
    return r;
  }
}

export function matchDay(op: DateOp, cmp: number): boolean {
  if (op === 'before') return cmp < 0;
  if (op === 'on') return cmp === 0;
  return cmp >= 0;
}

/** INTERNALDATE's calendar day in the server's local time zone (TZ), as Courier compares it. */
function internalDay(d: Date): { year: number; month: number; day: number } {
  return { year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate() };
}

function hasKeyword(msg: MessageInfo, lower: string): boolean {
  for (const k of msg.keywords) if (k.toLowerCase() === lower) return true;
  return false;
}

export function evaluate(key: CompiledKey, f: MessageFacts, sets: SetResolver): Tri {
  const m = f.msg;
  switch (key.k) {
    case 'all':
      return true;
    case 'flag':
      return m.flags.has(key.letter) === key.set;
    case 'keyword':
      return hasKeyword(m, key.keyword) === key.set;
    case 'new':
      return m.recent && !m.flags.has('S');
    case 'old':
      return !m.recent;
    case 'recent':
      return m.recent;
    case 'internal':
      return key.date !== null && matchDay(key.op, compareDays(internalDay(m.mtime), key.date));
    case 'size':
      return key.op === 'larger' ? m.crlfSize > key.size : m.crlfSize < key.size;
    case 'seq':
      return rangesContain(sets.ranges(key), f.seq);
    case 'uid':
      return rangesContain(sets.ranges(key), m.uid);
    case 'not': {
      const v = evaluate(key.key, f, sets);
      return v === undefined ? undefined : !v;
    }
    case 'or': {
      const a = evaluate(key.left, f, sets);
      if (a === true) return true;
      const b = evaluate(key.right, f, sets);
      if (b === true) return true;
      return a === false && b === false ? false : undefined;
    }
    case 'and': {
      let unknown = false;
      for (const k of key.keys) {
        const v = evaluate(k, f, sets);
        if (v === false) return false;
        if (v === undefined) unknown = true;
      }
      return unknown ? undefined : true;
    }
    default:
      return f.content[key.id];
  }
}
