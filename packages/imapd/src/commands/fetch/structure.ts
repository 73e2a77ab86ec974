/**
 * ENVELOPE, BODYSTRUCTURE, BODY and part sections from src/message (Courier's rfc2045 view of the
 * message). The structure is scanned from the stored file (offsets of both forms), kept in a small
 * in-memory cache, and the formatted ENVELOPE/BODYSTRUCTURE/BODY in the folder's persistent cache
 * (structure-scope.ts) and, for the messages fetched lately, in memory (structure-memo.ts), so
 * that a second FETCH over many messages re-reads no message file (nor, mostly, the cache file).
 */
import { join } from 'node:path';
import { type Folder, MAILDIR_NATIVE, type MessageInfo } from '@courier-ts/maildir';
import { formatBodyStructure } from '../../message/body-structure.js';
import { formatEnvelope } from '../../message/envelope.js';
import { filterHeaderBlock } from '../../message/header-filter.js';
import { nativeLineRun } from '../../message/line-run.js';
import type { MimePart, MimeStructure } from '../../message/mime-part.js';
import { MimeScanner } from '../../message/mime-scanner.js';
import { resolveSection } from '../../message/section.js';
import type { FetchSection } from '../../protocol/fetch-attributes.js';
import { fileChunks } from './file-read.js';
import { fromCrlf } from './header-fields.js';
import type { MessageSource } from './source.js';
import { MEMO_BYTES, StructureMemo } from './structure-memo.js';
import { createStructureScope, type StructureProviderOptions } from './structure-scope.js';

/** A section's content: bytes, or a range of the served form to stream. */
export type Content =
  | { readonly kind: 'bytes'; readonly data: Buffer }
  | { readonly kind: 'range'; readonly start: number; readonly end: number };

export interface StructureProvider {
  /** Scan the message now (when BODYSTRUCTURE is fetched anyway). */
  prepare(folder: Folder, msg: MessageInfo, source: MessageSource): Promise<void>;
  /** ENVELOPE (a string when it is ASCII, else its bytes). */
  envelope(folder: Folder, msg: MessageInfo, source: MessageSource, utf8: boolean): Promise<Buffer | string>;
  /**
   * The ENVELOPE from a structure already scanned (in memory, or the folder's persistent cache in
   * a scope), without reading the message file; undefined when there is none.
   */
  cachedEnvelope(folder: Folder, msg: MessageInfo, utf8: boolean): Promise<Buffer | undefined>;
  bodyStructure(
    folder: Folder,
    msg: MessageInfo,
    source: MessageSource,
    extended: boolean,
    utf8: boolean,
  ): Promise<Buffer | string>;
  partSection(
    folder: Folder,
    msg: MessageInfo,
    source: MessageSource,
    section: FetchSection,
  ): Promise<Content>;
  /**
   * A FETCH over `messages` of `folder` starts: the returned scope answers ENVELOPE, BODYSTRUCTURE
   * and BODY from the folder's persistent cache where it can (and fills it); `end()` when done.
   */
  begin(folder: Folder, messages: readonly MessageInfo[]): StructureScope;
}

/** The provider for one FETCH (its `begin` starts an unrelated scope). */
export interface StructureScope extends StructureProvider {
  end(): Promise<void>;
}

/** A scanned structure; `real` = scanned from the message file (not a stand-in). */
export interface Scanned {
  readonly s: MimeStructure;
  readonly real: boolean;
}

const CACHE_ENTRIES = 256;

/** Body lines counted by the native addon when it is built (the same results as without). */
const LINE_RUN = nativeLineRun(MAILDIR_NATIVE);

function newScanner(lineEnds: 'courier' | 'normalize'): MimeScanner {
  return new MimeScanner(LINE_RUN ? { lineEnds, lineRun: LINE_RUN } : { lineEnds });
}

async function bytesOf(src: MessageSource, start: number, end: number): Promise<Buffer> {
  if (src.whole) return src.whole.subarray(start, end);
  const parts: Buffer[] = [];
  for await (const c of src.range(start, end)) parts.push(c);
  return Buffer.concat(parts);
}

/** Courier's view: the file as stored, every LF served as CRLF. Undefined when the file is gone or changed. */
async function scanFile(path: string, servedSize: number): Promise<MimeStructure | undefined> {
  const scanner = newScanner('courier');
  try {
    for await (const c of fileChunks(path)) scanner.push(c);
  } catch {
    return undefined;
  }
  const s = scanner.finish();
  return Number.isNaN(servedSize) || s.size.crlf === servedSize ? s : undefined;
}

function scanRaw(raw: Buffer): MimeStructure {
  const scanner = newScanner('courier');
  scanner.push(raw);
  return scanner.finish();
}

/** Fallback (a stand-in for an expunged message): scan the served form itself. */
async function scanServed(src: MessageSource): Promise<MimeStructure> {
  const scanner = newScanner('normalize');
  if (src.whole) scanner.push(src.whole);
  else {
    // Size not measured yet (lazy folder): to the end of whatever is served (the stand-in, whole).
    const end = Number.isNaN(src.size) ? Number.MAX_SAFE_INTEGER : src.size;
    for await (const c of src.range(0, end)) scanner.push(c);
  }
  return scanner.finish();
}

/**
 * One provider per registry: its small cache of scanned structures is keyed by folder path and
 * message key; the persistent per-folder cache is used through `begin()` (structure-scope.ts).
 */
export function createStructureProvider(options: StructureProviderOptions = {}): StructureProvider {
  const cache = new Map<string, Scanned>();
  const memo = new StructureMemo(options.memoBytes ?? MEMO_BYTES);
  const load = async (folder: Folder, msg: MessageInfo, src: MessageSource): Promise<Scanned> => {
    const key = `${folder.path}\0${msg.key}`;
    const hit = cache.get(key);
    if (hit && (Number.isNaN(src.size) || src.size === hit.s.size.crlf)) return hit;
    let scanned: Scanned;
    if (src.raw) scanned = { s: scanRaw(src.raw), real: true };
    else {
      const s = await scanFile(join(folder.path, 'cur', msg.filename), src.size);
      scanned = s ? { s, real: true } : { s: await scanServed(src), real: false };
    }
    cache.delete(key);
    cache.set(key, scanned);
    if (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
    return scanned;
  };
  const structure = async (folder: Folder, msg: MessageInfo, src: MessageSource): Promise<MimeStructure> =>
    (await load(folder, msg, src)).s;
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
    const known = cache.get(`${folder.path}\0${msg.key}`)?.s;
    if (known || src.whole) {
      const part = (known ?? (await structure(folder, msg, src))).root;
      return { part, header: await rawHeader(src, part) };
    }
    const head = fromCrlf(await src.header());
    const part = scanRaw(head).root;
    return { part, header: head.subarray(part.headerStart.raw, part.bodyStart.raw) };
  };
  const provider: StructureProvider = {
    begin: (folder, messages) => createStructureScope(provider, load, folder, messages, options, memo),
    async prepare(folder, msg, src) {
      await structure(folder, msg, src);
    },
    async cachedEnvelope(folder, msg, utf8) {
      const hit = cache.get(`${folder.path}\0${msg.key}`);
      // As load(): a scanned structure of the same served size (or the size is not known yet).
      if (!hit?.real || !(Number.isNaN(msg.crlfSize) || msg.crlfSize === hit.s.size.crlf)) return undefined;
      return Buffer.from(formatEnvelope(hit.s.root.header ?? '', utf8), 'latin1');
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
  return provider;
}
