/** Per-message facts SORT and THREAD need, all from the message's own (cached) header block. */
import type { MessageInfo } from '@courier-ts/maildir';
import { firstMailbox } from './address.js';
import { baseSubject, sortText } from './base-subject.js';
import { sizeHint } from './file-read.js';
import type { HeaderCache, MessageSource } from './header-cache.js';
import { type HeaderField, headerValue } from './header-fields.js';
import { keepFacts, unpackFacts } from './kept-facts.js';
import { forEachWithPrefix } from './prefetch.js';
import { parseSentDate } from './sent-date.js';

export interface MessageMeta extends HeaderFacts {
  readonly msg: MessageInfo;
  readonly seq: number;
  /** RFC 5256 2.2: the Date header with its zone applied; INTERNALDATE when missing or unparsable. */
  readonly sentMs: number;
}

/** What SORT and THREAD need from the header block (cached per message). */
export interface HeaderFacts {
  /** The Date header with its zone applied; undefined when missing or unparsable. */
  readonly headerSentMs: number | undefined;
  /** The base subject (RFC 5256 2.1) in i;ascii-casemap form, for comparisons ('' when none). */
  readonly subjectKey: string;
  readonly isReplyOrForward: boolean;
  /** addr-mailbox of the first address, i;ascii-casemap form ('' when none). */
  readonly from: string;
  readonly to: string;
  readonly cc: string;
  readonly messageId: string | undefined;
  /** Parent chain: References' ids, else the first id of In-Reply-To. */
  readonly references: readonly string[];
}

const MSG_ID = /<[^<>\s]*>/g;
const NO_REFS: readonly string[] = Object.freeze([]);
/** Header blocks read at the same time on a cold cache. */
const PARALLEL_READS = 4;
/** Fewer messages than this to read are not worth starting a worker thread for. */
const MIN_FOR_WORKERS = 32;
/** First bytes of each file read ahead for its header block (longer blocks are read on their own). */
const HEADER_READ_AHEAD = 16 * 1024;

export function metaFromHeaders(msg: MessageInfo, seq: number, fields: readonly HeaderField[]): MessageMeta {
  return withMessage(headerFacts(fields), msg, seq);
}

/** Facts + the message (its INTERNALDATE is the sent-date fallback). */
export function withMessage(facts: HeaderFacts, msg: MessageInfo, seq: number): MessageMeta {
  // Spelled out: an object spread here costs more than the rest of a warm SORT.
  return {
    headerSentMs: facts.headerSentMs,
    subjectKey: facts.subjectKey,
    isReplyOrForward: facts.isReplyOrForward,
    from: facts.from,
    to: facts.to,
    cc: facts.cc,
    messageId: facts.messageId,
    references: facts.references,
    msg,
    seq,
    sentMs: facts.headerSentMs ?? msg.mtime.getTime(),
  };
}

export function headerFacts(fields: readonly HeaderField[]): HeaderFacts {
  const date = headerValue(fields, 'Date');
  const sent = date ? parseSentDate(date.value) : undefined;
  const subject = baseSubject(headerValue(fields, 'Subject')?.value ?? '');
  const refs = headerValue(fields, 'References')?.raw.match(MSG_ID) ?? [];
  const inReplyTo = headerValue(fields, 'In-Reply-To')?.raw.match(MSG_ID) ?? [];
  const key = sortText(subject.base);
  const messageId = headerValue(fields, 'Message-ID')?.raw.match(MSG_ID)?.[0];
  return {
    headerSentMs: sent?.epochMs,
    subjectKey: key,
    isReplyOrForward: subject.isReplyOrForward,
    from: sortText(firstMailbox(headerValue(fields, 'From')?.value)),
    to: sortText(firstMailbox(headerValue(fields, 'To')?.value)),
    cc: sortText(firstMailbox(headerValue(fields, 'Cc')?.value)),
    messageId,
    references: refs.length > 0 ? refs : inReplyTo.length > 0 ? [inReplyTo[0]!] : NO_REFS,
  };
}

const derive = (fields: readonly HeaderField[]) => keepFacts(headerFacts(fields));

export async function loadMeta(
  source: MessageSource,
  cache: HeaderCache,
  items: readonly { msg: MessageInfo; seq: number }[],
): Promise<MessageMeta[]> {
  const out: MessageMeta[] = new Array(items.length);
  const toRead: number[] = [];
  for (let i = 0; i < items.length; i++) {
    const { msg, seq } = items[i]!;
    const kept = cache.keptFacts(source, msg, derive);
    if (kept === undefined) toRead.push(i);
    else out[i] = withMessage(unpackFacts(kept), msg, seq);
  }
  const rawPath = source.rawPath?.bind(source);
  const size = (i: number): number => sizeHint(items[i]!.msg.size, items[i]!.msg.filename);
  await forEachWithPrefix(
    toRead,
    {
      reader: toRead.length >= MIN_FOR_WORKERS ? cache.workers : undefined,
      path: rawPath && ((i) => rawPath(items[i]!.msg)),
      size,
      max: HEADER_READ_AHEAD,
      parallel: PARALLEL_READS,
    },
    async (i, prefix) => {
      const { msg, seq } = items[i]!;
      out[i] = withMessage(unpackFacts(await cache.facts(source, msg, derive, prefix)), msg, seq);
    },
  );
  return out;
}
