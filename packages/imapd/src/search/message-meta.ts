/** Per-message facts SORT and THREAD need, all from the message's own (cached) header block. */
import type { MessageInfo } from '@courier-ts/maildir';
import { firstMailbox } from './address.js';
import { baseSubject, sortText } from './base-subject.js';
import type { HeaderCache, MessageSource } from './header-cache.js';
import { type HeaderField, headerValue } from './header-fields.js';
import { parseSentDate } from './sent-date.js';

export interface MessageMeta {
  readonly msg: MessageInfo;
  readonly seq: number;
  /** RFC 5256 2.2: Date header with its zone applied; INTERNALDATE when missing or unparsable. */
  readonly sentMs: number;
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

export function metaFromHeaders(msg: MessageInfo, seq: number, fields: readonly HeaderField[]): MessageMeta {
  const date = headerValue(fields, 'Date');
  const sent = date ? parseSentDate(date.value) : undefined;
  const subject = baseSubject(headerValue(fields, 'Subject')?.value ?? '');
  const refs = headerValue(fields, 'References')?.raw.match(MSG_ID) ?? [];
  const inReplyTo = headerValue(fields, 'In-Reply-To')?.raw.match(MSG_ID) ?? [];
  return {
    msg,
    seq,
    sentMs: sent?.epochMs ?? msg.mtime.getTime(),
    baseSubject: subject.base,
    subjectKey: sortText(subject.base),
    isReplyOrForward: subject.isReplyOrForward,
    from: sortText(firstMailbox(headerValue(fields, 'From')?.value)),
    to: sortText(firstMailbox(headerValue(fields, 'To')?.value)),
    cc: sortText(firstMailbox(headerValue(fields, 'Cc')?.value)),
    messageId: headerValue(fields, 'Message-ID')?.raw.match(MSG_ID)?.[0],
    references: refs.length > 0 ? refs : inReplyTo.slice(0, 1),
  };
}

export async function loadMeta(
  source: MessageSource,
  cache: HeaderCache,
  items: readonly { msg: MessageInfo; seq: number }[],
): Promise<MessageMeta[]> {
  const out: MessageMeta[] = [];
  for (const { msg, seq } of items) out.push(metaFromHeaders(msg, seq, await cache.headers(source, msg)));
  return out;
}
