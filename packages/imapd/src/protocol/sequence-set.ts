import { ImapSyntaxError } from './errors.js';

/** `*` = the highest message number (or UID) in the mailbox. */
export type SeqNumber = number | '*';

export interface SeqRange {
  readonly from: SeqNumber;
  readonly to: SeqNumber;
}

/** A parsed `sequence-set` (RFC 3501 section 9), in the order given. */
export type SequenceSet = readonly SeqRange[];

/** Resolved, sorted, merged and non-overlapping inclusive ranges. */
export type NumberRanges = ReadonlyArray<readonly [number, number]>;

const MAX_NZ = 4294967295;
const NUMBER = /^[0-9]{1,10}$/;

function parseSeqNumber(text: string, whole: string): SeqNumber {
  if (text === '*') return '*';
  if (!NUMBER.test(text)) throw new ImapSyntaxError(`invalid sequence set: ${whole}`);
  const n = Number(text);
  if (n < 1 || n > MAX_NZ) throw new ImapSyntaxError(`invalid sequence number in: ${whole}`);
  return n;
}

/** Parses `1:*,5,7:9`. Throws ImapSyntaxError. Only syntax: resolution is `resolveSequenceSet`. */
export function parseSequenceSet(text: string): SequenceSet {
  if (text.length === 0) throw new ImapSyntaxError('empty sequence set');
  return text.split(',').map((item) => {
    const colon = item.indexOf(':');
    if (colon === -1) {
      const n = parseSeqNumber(item, text);
      return { from: n, to: n };
    }
    return {
      from: parseSeqNumber(item.slice(0, colon), text),
      to: parseSeqNumber(item.slice(colon + 1), text),
    };
  });
}

/**
 * Resolves a set against `max` (message count, or the highest UID). `*` = max; a range's
 * ends may come in any order (`20:18` = `18:20`, as RFC 3501 says; Courier does not swap);
 * everything above `max` is dropped, so `UID 100:*` with highest UID 50 gives 50.
 * An empty mailbox gives no ranges.
 */
export function resolveSequenceSet(set: SequenceSet, max: number): NumberRanges {
  if (max < 1) return [];
  const ranges: Array<[number, number]> = [];
  for (const r of set) {
    const a = r.from === '*' ? max : r.from;
    const b = r.to === '*' ? max : r.to;
    const lo = Math.min(a, b);
    const hi = Math.min(Math.max(a, b), max);
    if (lo <= hi) ranges.push([lo, hi]);
  }
  ranges.sort((x, y) => x[0] - y[0]);
  const merged: Array<[number, number]> = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last !== undefined && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

/** The first explicit number above `max` (Courier: `* NO Invalid message sequence number: N`). */
export function firstOutOfRange(set: SequenceSet, max: number): number | null {
  for (const r of set) {
    for (const n of [r.from, r.to]) if (n !== '*' && n > max) return n;
  }
  return null;
}

export function* iterateRanges(ranges: NumberRanges): Generator<number> {
  for (const [lo, hi] of ranges) for (let n = lo; n <= hi; n++) yield n;
}

export function rangesContain(ranges: NumberRanges, n: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = ranges[mid]!;
    if (n < r[0]) hi = mid - 1;
    else if (n > r[1]) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Compresses numbers in the given order into a set: `1,2,4,6,7,8` → `1:2,4,6:8` (COPYUID, APPENDUID). */
export function formatSequenceSet(numbers: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < numbers.length) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j]! + 1) j++;
    parts.push(j === i ? String(numbers[i]) : `${numbers[i]}:${numbers[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}
