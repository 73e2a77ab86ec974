/**
 * ENVELOPE, BODYSTRUCTURE, BODY and part sections from src/message (Courier's rfc2045 view of the
 * message). The structure is scanned from the served (CRLF) form, so its offsets index that form,
 * and kept in a small per-session cache so a second FETCH does not re-read the file.
 */
import { join } from 'node:path';
import type { Folder, MessageInfo } from '@courier-ts/maildir';
import { formatBodyStructure } from '../../message/body-structure.js';
import { formatEnvelope } from '../../message/envelope.js';
import { filterHeaderBlock } from '../../message/header-filter.js';
import type { MimePart, MimeStructure } from '../../message/mime-part.js';
import { MimeScanner } from '../../message/mime-scanner.js';
import { resolveSection } from '../../message/section.js';
import type { FetchSection } from '../../protocol/fetch-attributes.js';
import { fileChunks } from './file-read.js';
import { fromCrlf } from './header-fields.js';
import type { MessageSource } from './source.js';

/** A section's content: bytes, or a range of the served form to stream. */
export type Content =
  | { readonly kind: 'bytes'; readonly data: Buffer }
  | { readonly kind: 'range'; readonly start: number; readonly end: number };

export interface StructureProvider {
  /** Scan the message now (when BODYSTRUCTURE is fetched anyway). */
  prepare(folder: Folder, msg: MessageInfo, source: MessageSource): Promise<void>;
  envelope(folder: Folder, msg: MessageInfo, source: MessageSource, utf8: boolean): Promise<Buffer>;
  bodyStructure(
    folder: Folder,
    msg: MessageInfo,
    source: MessageSource,
    extended: boolean,
    utf8: boolean,
  ): Promise<Buffer>;
  partSection(
    folder: Folder,
    msg: MessageInfo,
    source: MessageSource,
    section: FetchSection,
  ): Promise<Content>;
}

const CACHE_ENTRIES = 256;

async function bytesOf(src: MessageSource, start: number, end: number): Promise<Buffer> {
  if (src.whole) return src.whole.subarray(start, end);
  const parts: Buffer[] = [];
  for await (const c of src.range(start, end)) parts.push(c);
  return Buffer.concat(parts);
}

/** Courier's view: the file as stored, every LF served as CRLF. Undefined when the file is gone or changed. */
async function scanFile(path: string, servedSize: number): Promise<MimeStructure | undefined> {
  const scanner = new MimeScanner({ lineEnds: 'courier' });
  try {
    for await (const c of fileChunks(path)) scanner.push(c);
  } catch {
    return undefined;
  }
  const s = scanner.finish();
  return Number.isNaN(servedSize) || s.size.crlf === servedSize ? s : undefined;
}

function scanRaw(raw: Buffer): MimeStructure {
  const scanner = new MimeScanner({ lineEnds: 'courier' });
  scanner.push(raw);
  return scanner.finish();
}

/** Fallback (a stand-in for an expunged message): scan the served form itself. */
async function scanServed(src: MessageSource): Promise<MimeStructure> {
  const scanner = new MimeScanner({ lineEnds: 'normalize' });
  if (src.whole) scanner.push(src.whole);
  else for await (const c of src.range(0, src.size)) scanner.push(c);
  return scanner.finish();
}

/** One provider per session: its cache is keyed by folder path and message key. */
export function createStructureProvider(): StructureProvider {
  const cache = new Map<string, MimeStructure>();
  const structure = async (folder: Folder, msg: MessageInfo, src: MessageSource): Promise<MimeStructure> => {
    const key = `${folder.path}\0${msg.key}`;
    const hit = cache.get(key);
    if (hit && (Number.isNaN(src.size) || src.size === hit.size.crlf)) return hit;
    const s = src.raw
      ? scanRaw(src.raw)
      : ((await scanFile(join(folder.path, 'cur', msg.filename), src.size)) ?? (await scanServed(src)));
    cache.delete(key);
    cache.set(key, s);
    if (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
    return s;
  };
  /** A part's header block as stored (Courier's range: from the part's start to its body). */
  const rawHeader = async (src: MessageSource, part: MimePart): Promise<Buffer> =>
    src.raw
      ? src.raw.subarray(part.headerStart.raw, part.bodyStart.raw)
      : fromCrlf(await bytesOf(src, part.headerStart.crlf, part.bodyStart.crlf));
  /**
   * The root part with its stored header block. A message not read whole and not scanned yet
   * has only its header block scanned (the same root header range, without reading the body).
   */
  const root = async (
    folder: Folder,
    msg: MessageInfo,
    src: MessageSource,
  ): Promise<{ part: MimePart; header: Buffer }> => {
    const known = cache.get(`${folder.path}\0${msg.key}`);
    if (known || src.whole) {
      const part = (known ?? (await structure(folder, msg, src))).root;
      return { part, header: await rawHeader(src, part) };
    }
    const head = fromCrlf(await src.header());
    const part = scanRaw(head).root;
    return { part, header: head.subarray(part.headerStart.raw, part.bodyStart.raw) };
  };
  return {
    async prepare(folder, msg, src) {
      await structure(folder, msg, src);
    },
    async envelope(folder, msg, src, utf8) {
      // Courier's view of the header block: its root header range (an unterminated last line
      // is not a field), whether the message was read whole or only its header block.
      const { part } = await root(folder, msg, src);
      return Buffer.from(formatEnvelope(part.header ?? '', utf8), 'latin1');
    },
    async bodyStructure(folder, msg, src, extended, utf8) {
      const s = await structure(folder, msg, src);
      return Buffer.from(formatBodyStructure(s.root, extended, utf8), 'latin1');
    },
    async partSection(folder, msg, src, section) {
      const fields = section.specifier === 'HEADER.FIELDS' || section.specifier === 'HEADER.FIELDS.NOT';
      if (fields && section.part.length === 0) {
        const { header } = await root(folder, msg, src);
        const filter = section.specifier === 'HEADER.FIELDS' ? 'fields' : 'not';
        return { kind: 'bytes', data: filterHeaderBlock(header, filter, section.fields) };
      }
      const s = await structure(folder, msg, src);
      const t = resolveSection(s.root, section.part, section.specifier);
      if (t.kind === 'empty') return { kind: 'bytes', data: Buffer.alloc(0) };
      if (t.kind === 'range') {
        const start = Math.min(t.start.crlf, src.size);
        return { kind: 'range', start, end: Math.min(src.size, start + t.length) };
      }
      return {
        kind: 'bytes',
        data: filterHeaderBlock(await rawHeader(src, t.part), t.filter, section.fields),
      };
    },
  };
}
