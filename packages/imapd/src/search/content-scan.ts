/**
 * Answers a message's content keys (HEADER-type, SENT*, BODY, TEXT) as Courier does: header keys see
 * every header block of the message (its own, MIME parts', attached messages'); TEXT sees those
 * headers and the decoded text of every text part; BODY only the text. Header-type keys are answered
 * from the header cache's kept values where they can be; otherwise the file is streamed once (its first
 * bytes usually read ahead by the scan workers), skipping bodies that nothing asks for.
 */
import type { MessageInfo } from '@courier-ts/maildir';
import type { ContentKey } from './compile.js';
import type { Tri } from './evaluate.js';
import { fileChunks, type Prefix, sizeHint } from './file-read.js';
import type { HeaderCache, MessageSource } from './header-cache.js';
import { answerFromValues } from './header-values.js';
import { isHeaderKey, isSingleBlock, MessageScanner, scanBlock } from './message-scanner.js';

/** Header-type keys answered from the cache's values without I/O; undefined when nothing is cached. */
export function cachedResults(
  source: MessageSource,
  cache: HeaderCache,
  msg: MessageInfo,
  keys: readonly ContentKey[],
): Tri[] | undefined {
  const v = cache.values(source, msg);
  if (v === undefined) return undefined;
  const results: Tri[] = new Array(keys.length).fill(undefined);
  answerFromValues(v, keys.filter(isHeaderKey), results);
  return results;
}

/** Results from the message's own headers only; `complete` = nothing else can change them. */
export async function scanTopHeaders(
  source: MessageSource,
  cache: HeaderCache,
  msg: MessageInfo,
  keys: readonly ContentKey[],
): Promise<{ results: Tri[]; complete: boolean }> {
  const results: Tri[] = new Array(keys.length).fill(undefined);
  const fields = await cache.headers(source, msg);
  const headerKeys = keys.filter(isHeaderKey);
  scanBlock(fields, headerKeys, results);
  if (isSingleBlock(fields)) for (const k of headerKeys) results[k.id] ??= false;
  const complete = keys.every((k) => results[k.id] !== undefined);
  return { results, complete };
}

const READ_SIZE = 256 * 1024;
/** First read when only header blocks are wanted: most messages end within it. */
export const FIRST_READ_HEADERS = 128 * 1024;
/** First bytes read ahead per message when bodies are wanted (most messages are smaller). */
export const FIRST_READ_BODY = 128 * 1024;

/** The message's bytes: the file itself when the source names it, else (or if it moved) openMessage. */
async function* messageChunks(
  source: MessageSource,
  msg: MessageInfo,
  first: number,
  prefix: Prefix | undefined,
): AsyncGenerator<Buffer> {
  let started = false;
  if (prefix && source.rawPath) {
    yield prefix.bytes;
    if (prefix.eof) return;
    started = true;
  }
  if (source.rawPath) {
    const start = prefix?.bytes.length ?? 0;
    try {
      const size = sizeHint(msg.size, msg.filename);
      for await (const chunk of fileChunks(source.rawPath(msg), size, first, READ_SIZE, start)) {
        started = true;
        yield chunk;
      }
      return;
    } catch (err) {
      if (started) throw err;
    }
  }
  const stream = source.openMessage(msg);
  try {
    for await (const chunk of stream) yield typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
  } finally {
    (stream as { destroy?: () => void }).destroy?.();
  }
}

/**
 * Streams the message once and answers every content key. With `cache` (header keys only), the
 * often-searched values of the header blocks seen are kept for the next search.
 */
export async function scanMessage(
  source: MessageSource,
  msg: MessageInfo,
  keys: readonly ContentKey[],
  known: readonly Tri[],
  cache?: HeaderCache,
  prefix?: Prefix,
): Promise<Tri[]> {
  const scanner = new MessageScanner(keys, known, cache !== undefined);
  const first = scanner.wantText ? READ_SIZE : FIRST_READ_HEADERS;
  for await (const chunk of messageChunks(source, msg, first, prefix)) {
    if (!scanner.push(chunk)) break;
  }
  const { results, values } = scanner.finish();
  if (values && cache) cache.storeValues(source, msg, values);
  return results;
}
