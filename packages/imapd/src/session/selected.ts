/**
 * The selected mailbox as this session sees it: sequence numbers, flag lists, and the untagged
 * EXPUNGE/EXISTS/RECENT/FETCH updates that bring the view in step with the disk (sent only at the
 * points RFC 3501 allows: the session calls report() from NOOP, CHECK, IDLE, EXPUNGE and SELECT).
 */
import type { Folder, MaildirFlag, MessageInfo } from '@courier-ts/maildir';
import { resolveSequenceSet, type SequenceSet } from '../protocol/sequence-set.js';

/** Courier's order in FETCH FLAGS (maildir letter order D F R S T). */
const FLAG_NAMES: readonly [MaildirFlag, string][] = [
  ['D', '\\Draft'],
  ['F', '\\Flagged'],
  ['R', '\\Answered'],
  ['S', '\\Seen'],
  ['T', '\\Deleted'],
];
const SYSTEM_FLAGS = '\\Draft \\Answered \\Flagged \\Deleted \\Seen';

/** One step of a resolved sequence set, in the client's order. */
export type SetEntry = { readonly message: MessageInfo; readonly seq: number } | { readonly invalid: number };

export interface Resolved {
  /** In the order the set names them (duplicates kept), with Courier's invalid-number markers. */
  readonly entries: readonly SetEntry[];
  /** The messages, ascending, each once. */
  readonly messages: readonly MessageInfo[];
  /** The invalid numbers (`* NO Invalid message sequence number: N`). */
  readonly invalid: readonly number[];
}

type Write = (line: string) => Promise<void>;

/**
 * `* n EXPUNGE` lines for these UIDs, numbered as each earlier one is already gone; `before` is the
 * view before the expunge, in UID (sequence) order.
 */
function expungeLinesOf<T>(
  before: readonly T[],
  uidOf: (x: T) => number,
  removed: readonly number[],
): string[] {
  const out: string[] = [];
  let gone = 0;
  let last = -1;
  for (const uid of [...removed].sort((a, b) => a - b)) {
    if (uid === last) continue;
    last = uid;
    let lo = 0;
    let hi = before.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const u = uidOf(before[mid]!);
      if (u === uid) {
        out.push(`${mid + 1 - gone} EXPUNGE`);
        gone++;
        break;
      }
      if (u < uid) lo = mid + 1;
      else hi = mid - 1;
    }
  }
  return out;
}

/** Index of the first message whose UID is at least `uid` (the list is in UID order). */
function firstAtLeast(list: readonly MessageInfo[], uid: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.uid < uid) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class SelectedMailbox {
  readonly folder: Folder;
  readonly keywords: boolean;
  /** The user's stored-form ACL rights on the folder (SELECT time; SETACL updates them). */
  rights: string;

  constructor(folder: Folder, options: { keywords: boolean; rights?: string }) {
    this.folder = folder;
    this.keywords = options.keywords;
    this.rights = options.rights ?? 'aceilrstwx';
  }

  get readOnly(): boolean {
    return this.folder.readOnly;
  }
  get messages(): readonly MessageInfo[] {
    return this.folder.messages;
  }
  get exists(): number {
    return this.folder.messages.length;
  }
  get recent(): number {
    let n = 0;
    for (const m of this.folder.messages) if (m.recent) n++;
    return n;
  }

  /**
   * 1-based sequence number of a UID in the current view (0 when absent): a binary search, as the
   * view is in UID order (no per-session map: sessions share the folder's message list).
   */
  seqOf(uid: number): number {
    const list = this.folder.messages;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const u = list[mid]!.uid;
      if (u === uid) return mid + 1;
      if (u < uid) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  }

  /**
   * Messages named by a sequence set (UID set when `uid`). Sequence numbers as Courier walks them:
   * range by range, each stopping at its first number past the end (reported); a range with `*`
   * is clamped silently; reversed ranges are swapped (RFC 3501; Courier selects nothing).
   */
  resolve(set: SequenceSet, uid: boolean): Resolved {
    const list = this.folder.messages;
    const n = list.length;
    const entries: SetEntry[] = [];
    const invalid: number[] = [];
    if (uid) {
      const maxUid = n > 0 ? list[n - 1]!.uid : 0;
      // Sorted, disjoint UID ranges over a list in UID order: each range is one slice of the list.
      const messages: MessageInfo[] = [];
      for (const [from, to] of resolveSequenceSet(set, maxUid)) {
        for (let i = firstAtLeast(list, from); i < n && list[i]!.uid <= to; i++) {
          messages.push(list[i]!);
          entries.push({ message: list[i]!, seq: i + 1 });
        }
      }
      return { entries, messages, invalid };
    }
    const picked = new Set<number>();
    for (const r of set) {
      const a = r.from === '*' ? n : r.from;
      const b = r.to === '*' ? n : r.to;
      const lo = Math.min(a, b);
      const clamp = (r.from === '*' || r.to === '*') && r.from !== r.to;
      const hi = clamp ? Math.min(Math.max(a, b), n) : Math.max(a, b);
      for (let i = lo; i <= hi; i++) {
        if (i < 1 || i > n) {
          entries.push({ invalid: i });
          invalid.push(i);
          break;
        }
        entries.push({ message: list[i - 1]!, seq: i });
        picked.add(i - 1);
      }
    }
    const messages = [...picked].sort((x, y) => x - y).map((i) => list[i]!);
    return { entries, messages, invalid };
  }

  /** `(\Seen \Recent Work)` */
  flagsOf(m: MessageInfo): string {
    const out: string[] = [];
    for (const [letter, name] of FLAG_NAMES) if (m.flags.has(letter)) out.push(name);
    if (m.recent) out.push('\\Recent');
    // Courier lists a message's keywords sorted (the FLAGS line keeps the folder's order).
    if (this.keywords) for (const k of [...m.keywords].sort()) out.push(k);
    return `(${out.join(' ')})`;
  }

  private keywordList(list?: readonly string[]): string {
    if (!this.keywords) return '';
    const k = list ?? [...this.folder.keywordCounts.keys()];
    return k.length > 0 ? `${k.join(' ')} ` : '';
  }

  /** `keywords`: the list to announce (default: the keywords in use now). */
  flagsLine(keywords?: readonly string[]): string {
    return `FLAGS (${this.keywordList(keywords)}${SYSTEM_FLAGS} \\Recent)`;
  }

  permanentFlagsLine(keywords?: readonly string[]): string {
    if (this.readOnly) return 'OK [PERMANENTFLAGS ()] No permanent flags permitted';
    const star = this.keywords ? '\\* ' : '';
    return `OK [PERMANENTFLAGS (${this.keywordList(keywords)}${star}${SYSTEM_FLAGS})] Limited`;
  }

  /**
   * Announce our own expunge of these UIDs: `* n EXPUNGE` with adjusted numbers. `before` is the
   * view's UIDs before the expunge, ascending (sequence order).
   */
  static expungeLines(before: readonly number[], removed: readonly number[]): string[] {
    return expungeLinesOf(before, (u) => u, removed);
  }

  /** Sync with the disk and send what changed: EXPUNGE, FLAGS, EXISTS, RECENT, flag FETCHes. */
  async report(write: Write, options: { counts?: boolean } = {}): Promise<void> {
    // The folder hands out a new array on every change (never edits one), so this is the view the
    // client last saw, without copying its UIDs (IDLE wakes every session of a folder at once).
    const before = this.folder.messages;
    const changes = await this.folder.sync();
    for (const l of expungeLinesOf(before, (m) => m.uid, changes.expunged)) await write(l);
    if (changes.keywordsChanged && this.keywords) {
      await write(this.flagsLine());
      await write(this.permanentFlagsLine());
    }
    if (options.counts || changes.added.length > 0 || changes.expunged.length > 0) {
      await write(`${this.exists} EXISTS`);
      await write(`${this.recent} RECENT`);
    }
    for (const m of changes.flagsChanged) {
      const seq = this.seqOf(m.uid);
      if (seq > 0) await write(`${seq} FETCH (FLAGS ${this.flagsOf(m)})`);
    }
  }

  /** Expunge these messages ourselves and announce it (EXPUNGE / UID EXPUNGE / MOVE). */
  async expunge(
    messages: readonly MessageInfo[],
    write: Write,
    options: { counts: boolean },
  ): Promise<number> {
    const before = this.folder.messages;
    const keywordsBefore = [...this.folder.keywordCounts.keys()].join(' ');
    const removed = messages.length > 0 ? await this.folder.expunge(messages) : [];
    for (const l of expungeLinesOf(before, (m) => m.uid, removed)) await write(l);
    if (this.keywords && keywordsBefore !== [...this.folder.keywordCounts.keys()].join(' ')) {
      await write(this.flagsLine());
      await write(this.permanentFlagsLine());
    }
    if (options.counts && removed.length > 0) {
      await write(`${this.exists} EXISTS`);
      await write(`${this.recent} RECENT`);
    }
    return removed.length;
  }

  close(): Promise<void> {
    return this.folder.close();
  }
}
