/** Per-message facts SORT and THREAD need, all from the message's own (cached) header block. */
import type { MessageInfo } from '@courier-ts/maildir';
import { firstMailbox } from './address.js';
import { baseSubject, sortText } from './base-subject.js';
import type { HeaderCache, MessageSource } from './header-cache.js';
import { type HeaderField, headerValue } from './header-fields.js';
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
  readonly baseSubject: string;
  /** i;ascii-casemap forms for comparisons. */
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
/** Header blocks read at the same time on a cold cache. */
const PARALLEL_READS = 4;

export function metaFromHeaders(msg: MessageInfo, seq: number, fields: readonly HeaderField[]): MessageMeta {
  return withMessage(headerFacts(fields), msg, seq);
}

/** Facts + the message (its INTERNALDATE is the sent-date fallback). */
export function withMessage(facts: HeaderFacts, msg: MessageInfo, seq: number): MessageMeta {
  return { ...facts, msg, seq, sentMs: facts.headerSentMs ?? msg.mtime.getTime() };
}

/**
 * A copy that does not keep the whole header text alive (V8 substrings point into their parent):
 * the facts cache holds many messages' facts, not their header blocks.
 */
function detach(s: string): string {
  return s.length === 0 ? '' : Buffer.from(s, 'utf8').toString('utf8');
}

export function headerFacts(fields: readonly HeaderField[]): HeaderFacts {
  const date = headerValue(fields, 'Date');
  const sent = date ? parseSentDate(date.value) : undefined;
  const subject = baseSubject(headerValue(fields, 'Subject')?.value ?? '');
  const refs = headerValue(fields, 'References')?.raw.match(MSG_ID) ?? [];
  const inReplyTo = headerValue(fields, 'In-Reply-To')?.raw.match(MSG_ID) ?? [];
  const key = detach(sortText(subject.base));
  const messageId = headerValue(fields, 'Message-ID')?.raw.match(MSG_ID)?.[0];
  return {
    headerSentMs: sent?.epochMs,
    baseSubject: subject.base === key ? key : detach(subject.base),
    subjectKey: key,
    isReplyOrForward: subject.isReplyOrForward,
    from: detach(sortText(firstMailbox(headerValue(fields, 'From')?.value))),
    to: detach(sortText(firstMailbox(headerValue(fields, 'To')?.value))),
    cc: detach(sortText(firstMailbox(headerValue(fields, 'Cc')?.value))),
    messageId: messageId === undefined ? undefined : detach(messageId),
    references: (refs.length > 0 ? refs : inReplyTo.slice(0, 1)).map(detach),
  };
}

export async function loadMeta(
  source: MessageSource,
  cache: HeaderCache,
  items: readonly { msg: MessageInfo; seq: number }[],
): Promise<MessageMeta[]> {
  const out: MessageMeta[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      const { msg, seq } = items[i]!;
      out[i] = withMessage(await cache.facts(source, msg, headerFacts), msg, seq);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_READS, items.length) }, worker));
  return out;
}
