/**
 * Answers a message's content keys (HEADER-type, SENT*, BODY, TEXT) as Courier does: header keys see
 * every header block of the message (its own, MIME parts', attached messages'); TEXT sees those
 * headers and the decoded text of every text part; BODY only the text. The message's own headers come
 * from the header cache; the file is streamed only when the answer needs more.
 */
import { createReadStream } from 'node:fs';
import type { MessageInfo } from '@courier-ts/maildir';
import type { ContentKey } from './compile.js';
import { matchDay, type Tri } from './evaluate.js';
import type { HeaderCache, MessageSource } from './header-cache.js';
import { contentInfo, type HeaderField } from './header-fields.js';
import { MimeWalker } from './mime-walker.js';
import { compareDays, parseSentDate } from './sent-date.js';
import { containsFolded, TextMatcher } from './text-matcher.js';

/** Header keys and SENT* over one header block: sets `true` results. */
function scanBlock(fields: readonly HeaderField[], keys: readonly ContentKey[], out: Tri[]): void {
  for (const key of keys) {
    if (out[key.id] === true) continue;
    if (key.k === 'header') {
      for (const f of fields) {
        if (f.name.toLowerCase() === key.field && containsFolded(f.value, key.needle)) {
          out[key.id] = true;
          break;
        }
      }
    } else if (key.k === 'sent') {
      if (key.date === null) continue;
      for (const f of fields) {
        if (f.name.toLowerCase() !== 'date') continue;
        const d = parseSentDate(f.value);
        if (d && matchDay(key.op, compareDays(d, key.date))) {
          out[key.id] = true;
          break;
        }
      }
    }
  }
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
  const headerKeys = keys.filter((k) => k.k === 'header' || k.k === 'sent');
  scanBlock(fields, headerKeys, results);
  const type = contentInfo(fields).type;
  const single = !type.startsWith('multipart/') && !type.startsWith('message/');
  if (single) for (const k of headerKeys) results[k.id] ??= false;
  const complete = keys.every((k) => results[k.id] !== undefined);
  return { results, complete };
}

const READ_SIZE = 256 * 1024;

/** The message's bytes: the file itself when the source names it, else (or if it moved) openMessage. */
async function* messageChunks(source: MessageSource, msg: MessageInfo): AsyncGenerator<Buffer> {
  let started = false;
  if (source.rawPath) {
    const raw = createReadStream(source.rawPath(msg), { highWaterMark: READ_SIZE });
    try {
      for await (const chunk of raw) {
        started = true;
        yield chunk as Buffer;
      }
      return;
    } catch (err) {
      if (started) throw err;
    } finally {
      raw.destroy();
    }
  }
  const stream = source.openMessage(msg);
  try {
    for await (const chunk of stream) yield typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
  } finally {
    (stream as { destroy?: () => void }).destroy?.();
  }
}

/** Streams the whole message once and answers every content key. */
export async function scanMessage(
  source: MessageSource,
  msg: MessageInfo,
  keys: readonly ContentKey[],
  known: readonly Tri[],
): Promise<Tri[]> {
  const results: Tri[] = [...known];
  const headerKeys = keys.filter((k) => (k.k === 'header' || k.k === 'sent') && results[k.id] !== true);
  const matchers = (kind: 'text' | 'body') =>
    keys.flatMap((k) =>
      k.k === kind && results[k.id] !== true ? [{ k, m: new TextMatcher(k.needle) }] : [],
    );
  const texts = matchers('text');
  const bodies = matchers('body');
  const pending = (): boolean =>
    headerKeys.some((k) => results[k.id] !== true) ||
    texts.some((t) => !t.m.found) ||
    bodies.some((b) => !b.m.found);
  const walker = new MimeWalker({
    headers(fields) {
      scanBlock(fields, headerKeys, results);
      for (const t of texts) {
        for (const f of fields) t.m.push(`${f.name}: ${f.value}\n`);
        t.m.separate();
      }
    },
    text(chunk) {
      for (const t of texts) t.m.push(chunk);
      for (const b of bodies) b.m.push(chunk);
    },
  });
  for await (const chunk of messageChunks(source, msg)) {
    walker.push(chunk);
    if (!pending()) break;
  }
  walker.end();
  for (const k of headerKeys) results[k.id] = results[k.id] === true;
  for (const t of texts) results[t.k.id] = t.m.found;
  for (const b of bodies) results[b.k.id] = b.m.found;
  return results;
}
