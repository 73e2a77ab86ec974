/**
 * What a FETCH of ENVELOPE / BODYSTRUCTURE / BODY needs of one message, formatted once and kept
 * in the folder's persistent cache (maildir's `courier-ts.structure`), so that a later FETCH
 * of these items reads no message file. The UTF8=ACCEPT forms are kept only where they differ
 * (8-bit header text, which is otherwise RFC 2047-encoded).
 *
 * Encoding: [version u8][flags u8] then u32 LE length + bytes for each text, in TEXTS order
 * (twice when flag UTF8 is set: plain forms, then UTF8=ACCEPT forms).
 *
 * A decoded entry holds its texts back to back in one string when they are ASCII (the plain forms
 * always are), so that a FETCH appends them to its output text rather than sending one buffer per
 * item, and so that an entry kept in memory is few objects; else in one buffer.
 */
import { isAscii } from 'node:buffer';
import { formatBodyStructures } from './body-structure.js';
import { formatEnvelope } from './envelope.js';
import type { MimeStructure } from './mime-part.js';

const VERSION = 1;
const FLAG_UTF8 = 1;

export type EntryText = 'envelope' | 'bodyStructure' | 'body';
const TEXTS: readonly EntryText[] = ['envelope', 'bodyStructure', 'body'];

/** A text to send: a string when it is ASCII (one char per byte), else its bytes. */
export type EntryBytes = Buffer | string;

export interface StructureEntry {
  /** The texts back to back, in TEXTS order: the plain forms, then any UTF8=ACCEPT forms. */
  readonly text: EntryBytes;
  /** Where each text ends in `text`: 3 offsets, or 6 when the UTF8=ACCEPT forms differ. */
  readonly ends: readonly number[];
}

/** The texts in TEXTS order, as binary strings. */
function texts(s: MimeStructure, utf8: boolean): string[] {
  return [formatEnvelope(s.root.header ?? '', utf8), ...formatBodyStructures(s.root, utf8)];
}

/** The encoded entry of a scanned message, formatted straight into its buffer. */
export function formatStructureEntry(s: MimeStructure): Buffer {
  const plain = texts(s, false);
  let all = plain;
  if (s.eightBitHeaders) {
    const utf8 = texts(s, true);
    if (utf8.some((t, i) => t !== plain[i])) all = [...plain, ...utf8];
  }
  const out = Buffer.allocUnsafe(all.reduce((n, t) => n + 4 + t.length, 2));
  out[0] = VERSION;
  out[1] = all === plain ? 0 : FLAG_UTF8;
  let at = 2;
  for (const t of all) {
    out.writeUInt32LE(t.length, at);
    out.write(t, at + 4, t.length, 'latin1');
    at += 4 + t.length;
  }
  return out;
}

/** The entry of a scanned message. */
export function makeStructureEntry(s: MimeStructure): StructureEntry {
  return decodeStructureEntry(formatStructureEntry(s))!;
}

/** The text to send for one item. */
export function entryText(e: StructureEntry, item: EntryText, utf8: boolean): EntryBytes {
  const k = TEXTS.indexOf(item) + (utf8 && e.ends.length > TEXTS.length ? TEXTS.length : 0);
  const start = k === 0 ? 0 : e.ends[k - 1]!;
  const end = e.ends[k]!;
  return typeof e.text === 'string' ? e.text.slice(start, end) : e.text.subarray(start, end);
}

/** The entry keeps UTF8=ACCEPT forms of its own (they differ from the plain ones). */
export function hasUtf8Forms(e: StructureEntry): boolean {
  return e.ends.length > TEXTS.length;
}

/** Bytes of the entry's texts (for memory accounting). */
export function entryBytes(e: StructureEntry): number {
  return e.text.length;
}

/** Encodes an entry (formatStructureEntry() does it without the intermediate buffers). */
export function encodeStructureEntry(e: StructureEntry): Buffer {
  const n = e.ends.length;
  const bytes = typeof e.text === 'string' ? Buffer.from(e.text, 'latin1') : e.text;
  const out = Buffer.allocUnsafe(2 + 4 * n + bytes.length);
  out[0] = VERSION;
  out[1] = n > TEXTS.length ? FLAG_UTF8 : 0;
  let at = 2;
  for (let k = 0; k < n; k++) {
    const start = k === 0 ? 0 : e.ends[k - 1]!;
    out.writeUInt32LE(e.ends[k]! - start, at);
    at += 4 + bytes.copy(out, at + 4, start, e.ends[k]!);
  }
  return out;
}

/**
 * The entry in `buf`, or undefined when it is not one of ours. It keeps no reference to `buf`
 * (which may be a large read buffer).
 */
export function decodeStructureEntry(buf: Buffer): StructureEntry | undefined {
  if (buf.length < 2 || buf[0] !== VERSION || (buf[1]! & ~FLAG_UTF8) !== 0) return undefined;
  const n = (buf[1] === FLAG_UTF8 ? 2 : 1) * TEXTS.length;
  const ends: number[] = [];
  let at = 2;
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (at + 4 > buf.length) return undefined;
    const len = buf.readUInt32LE(at);
    if (at + 4 + len > buf.length) return undefined;
    total += len;
    ends.push(total);
    at += 4 + len;
  }
  if (at !== buf.length) return undefined;
  const text = Buffer.allocUnsafe(total);
  at = 2;
  for (let i = 0; i < n; i++) {
    const len = ends[i]! - (i === 0 ? 0 : ends[i - 1]!);
    buf.copy(text, i === 0 ? 0 : ends[i - 1]!, at + 4, at + 4 + len);
    at += 4 + len;
  }
  if (isAscii(text)) return { text: text.toString('latin1'), ends };
  // Not a view into the allocation pool (an entry may be kept long).
  const own = Buffer.allocUnsafeSlow(total);
  text.copy(own);
  return { text: own, ends };
}
