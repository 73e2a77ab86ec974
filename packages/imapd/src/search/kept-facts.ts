/**
 * SORT/THREAD facts as the header cache keeps them: one flat string per message instead of an object
 * with seven strings and an array (about a quarter of the memory), unpacked per command.
 */
import type { HeaderFacts } from './message-meta.js';

/** Packed facts: the sent date, the reply flag, and the strings joined by NUL. */
export interface KeptFacts {
  readonly sentMs: number | undefined;
  readonly reply: boolean;
  /** subjectKey, from, to, cc, messageId ('' = none), references joined by spaces. */
  readonly text: string;
}

const NO_REFS: readonly string[] = Object.freeze([]);

/** Packs facts; facts holding a NUL are kept as they are (with their strings copied). */
export function keepFacts(f: HeaderFacts): KeptFacts | HeaderFacts {
  const parts = [f.subjectKey, f.from, f.to, f.cc, f.messageId ?? '', f.references.join(' ')];
  // A fresh flat copy: the parts are slices of whole header blocks, which must not stay alive.
  const flat = (s: string): string => (s.length === 0 ? '' : Buffer.from(s, 'utf8').toString('utf8'));
  if (parts.some((p) => p.includes('\0'))) {
    return {
      ...f,
      subjectKey: flat(f.subjectKey),
      from: flat(f.from),
      to: flat(f.to),
      cc: flat(f.cc),
      messageId: f.messageId === undefined ? undefined : flat(f.messageId),
      references: f.references.map(flat),
    };
  }
  return { sentMs: f.headerSentMs, reply: f.isReplyOrForward, text: flat(parts.join('\0')) };
}

function isKept(f: KeptFacts | HeaderFacts): f is KeptFacts {
  return 'text' in f;
}

export function unpackFacts(f: KeptFacts | HeaderFacts): HeaderFacts {
  if (!isKept(f)) return f;
  const [subjectKey = '', from = '', to = '', cc = '', messageId = '', refs = ''] = f.text.split('\0');
  return {
    headerSentMs: f.sentMs,
    subjectKey,
    isReplyOrForward: f.reply,
    from,
    to,
    cc,
    messageId: messageId === '' ? undefined : messageId,
    references: refs === '' ? NO_REFS : refs.split(' '),
  };
}
