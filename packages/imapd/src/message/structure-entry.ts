/**
 * What a FETCH of ENVELOPE / BODYSTRUCTURE / BODY needs of one message, formatted once and kept
 * in the folder's persistent cache (maildir's `courier-ts.structure`), so that a later FETCH
 * of these items reads no message file. The UTF8=ACCEPT forms are kept only where they differ
 * (8-bit header text, which is otherwise RFC 2047-encoded).
 *
 * Encoding: [version u8][flags u8] then u32 LE length + bytes for each text, in TEXTS order
 * (twice when flag UTF8 is set: plain forms, then UTF8=ACCEPT forms).
 */
import { formatBodyStructure } from './body-structure.js';
import { formatEnvelope } from './envelope.js';
import type { MimeStructure } from './mime-part.js';

const VERSION = 1;
const FLAG_UTF8 = 1;

export type EntryText = 'envelope' | 'bodyStructure' | 'body';
const TEXTS: readonly EntryText[] = ['envelope', 'bodyStructure', 'body'];

type Texts = Readonly<Record<EntryText, Buffer>>;

export interface StructureEntry {
  readonly plain: Texts;
  /** The UTF8=ACCEPT forms when they differ from the plain ones. */
  readonly utf8: Texts | undefined;
}

/** The texts in TEXTS order, as binary strings. */
function texts(s: MimeStructure, utf8: boolean): string[] {
  return [
    formatEnvelope(s.root.header ?? '', utf8),
    formatBodyStructure(s.root, true, utf8),
    formatBodyStructure(s.root, false, utf8),
  ];
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

/** The entry of a scanned message (views into its encoded form). */
export function makeStructureEntry(s: MimeStructure): StructureEntry {
  return decodeStructureEntry(formatStructureEntry(s))!;
}

/** The bytes to send for one item. */
export function entryText(e: StructureEntry, item: EntryText, utf8: boolean): Buffer {
  return (utf8 && e.utf8 !== undefined ? e.utf8 : e.plain)[item];
}

/** Encodes an entry (formatStructureEntry() does it without the intermediate buffers). */
export function encodeStructureEntry(e: StructureEntry): Buffer {
  const all = e.utf8 === undefined ? [e.plain] : [e.plain, e.utf8];
  const bufs = all.flatMap((t) => TEXTS.map((k) => t[k]));
  const out = Buffer.allocUnsafe(2 + bufs.reduce((n, b) => n + 4 + b.length, 0));
  out[0] = VERSION;
  out[1] = e.utf8 === undefined ? 0 : FLAG_UTF8;
  let at = 2;
  for (const b of bufs) {
    out.writeUInt32LE(b.length, at);
    b.copy(out, at + 4);
    at += 4 + b.length;
  }
  return out;
}

/** The entry in `buf` (views into it), or undefined when it is not one of ours. */
export function decodeStructureEntry(buf: Buffer): StructureEntry | undefined {
  if (buf.length < 2 || buf[0] !== VERSION || (buf[1]! & ~FLAG_UTF8) !== 0) return undefined;
  const n = buf[1] === FLAG_UTF8 ? 2 : 1;
  const bufs: Buffer[] = [];
  let at = 2;
  for (let i = 0; i < n * TEXTS.length; i++) {
    if (at + 4 > buf.length) return undefined;
    const len = buf.readUInt32LE(at);
    if (at + 4 + len > buf.length) return undefined;
    bufs.push(buf.subarray(at + 4, at + 4 + len));
    at += 4 + len;
  }
  if (at !== buf.length) return undefined;
  const group = (k: number): Texts => ({
    envelope: bufs[k * 3]!,
    bodyStructure: bufs[k * 3 + 1]!,
    body: bufs[k * 3 + 2]!,
  });
  return { plain: group(0), utf8: n === 2 ? group(1) : undefined };
}
