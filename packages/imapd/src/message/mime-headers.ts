/**
 * Interprets one complete MIME header field of a part, with the rules of Courier's rfc2045
 * parser (do_header): tokens are pasted back without spaces, comments dropped, quoted
 * strings keep their escapes, type and charset are lower-cased, other values are raw.
 */
import type { MimeParam } from './mime-part.js';
import { addressText, parseAddresses } from './rfc822-address.js';
import { asciiLower, isCSpace, pasteTokens, type Rfc822Token, tokenizeRfc822 } from './rfc822-tokens.js';
import { setParam, type WorkPart } from './work-part.js';

/** Longest header field kept for interpretation (Courier has no limit; we cap memory). */
export const MAX_HEADER_FIELD = 64 * 1024;

type ParamSink = (name: string, tokens: readonly Rfc822Token[], start: number, count: number) => void;

/** parse_content_header(): value up to the first `;`, then `name=value` pairs. */
function parseContentHeader(
  s: string,
  t: readonly Rfc822Token[],
  onValue: (v: string) => void,
  onParam: ParamSink,
) {
  let start = 2;
  while (start < t.length && t[start]!.kind !== ';') start++;
  onValue(asciiLower(pasteTokens(s, t, 2, start - 2)));
  if (start < t.length) start++;
  while (start < t.length) {
    let i = start;
    while (i < t.length && t[i]!.kind !== ';') i++;
    let j = start;
    if (j < i) {
      j++;
      while (j < i && t[j]!.kind === '(') j++;
      if (j < i && t[j]!.kind === '=') {
        j++;
        onParam(asciiLower(pasteTokens(s, t, start, 1)), t, j, i - j);
      }
    }
    if (i < t.length) i++;
    start = i;
  }
}

/** Text after the first colon, leading whitespace skipped (Content-Description etc.). */
function rawValue(s: string): string | null {
  const colon = s.indexOf(':');
  if (colon === -1) return null;
  let i = colon + 1;
  while (i < s.length && isCSpace(s[i])) i++;
  return i < s.length ? s.slice(i) : null;
}

function contentType(p: WorkPart, s: string, t: readonly Rfc822Token[]): void {
  parseContentHeader(
    s,
    t,
    (v) => {
      p.contentType = v;
    },
    (name, tokens, start, count) => {
      const raw = pasteTokens(s, tokens, start, count);
      setParam(p.params, name, name === 'charset' ? asciiLower(raw) : raw);
      if (name === 'boundary') p.boundary = asciiLower(raw);
    },
  );
}

function contentDisposition(p: WorkPart, s: string, t: readonly Rfc822Token[]): void {
  const list: MimeParam[] = p.dispositionParams;
  parseContentHeader(
    s,
    t,
    (v) => {
      p.disposition = v;
    },
    (name, tokens, start, count) => setParam(list, name, pasteTokens(s, tokens, start, count)),
  );
}

function contentId(p: WorkPart, s: string, t: readonly Rfc822Token[]): void {
  for (const a of parseAddresses(t)) {
    if (a.tokens !== null) {
      p.id = addressText(s, a.tokens);
      return;
    }
  }
}

/** do_header(): applies the field collected in `p.headerLine`, if any. */
/** Only these fields matter here; others are skipped before tokenizing. */
const MIME_FIELD = /^(?:mime-version|content-)/i;

export function applyHeaderField(p: WorkPart): void {
  const s = p.headerLine;
  if (s.length === 0 || !MIME_FIELD.test(s)) return;
  const t = tokenizeRfc822(s);
  if (t.length < 2 || t[0]!.kind !== '' || t[1]!.kind !== ':') return;
  switch (asciiLower(pasteTokens(s, t, 0, 1))) {
    case 'mime-version':
      p.mimeVersion = pasteTokens(s, t, 2);
      break;
    case 'content-type':
      contentType(p, s, t);
      break;
    case 'content-transfer-encoding':
      p.encoding = asciiLower(pasteTokens(s, t, 2));
      break;
    case 'content-disposition':
      contentDisposition(p, s, t);
      break;
    case 'content-id':
      contentId(p, s, t);
      break;
    case 'content-description':
      p.description = rawValue(s) ?? p.description;
      break;
    case 'content-language':
      p.language = rawValue(s) ?? p.language;
      break;
    case 'content-md5':
      p.md5 = rawValue(s) ?? p.md5;
      break;
  }
}

/** RFC2045_ISMIME1: atoi(version) == 1. */
export function isMime1(version: string | null): boolean {
  if (version === null) return false;
  const m = /^[ \t\n\v\f\r]*([+-]?[0-9]+)/.exec(version);
  return m !== null && Number(m[1]) === 1;
}

/** message/rfc822 and message/global carry a nested message. */
export function isMessageType(type: string): boolean {
  const t = asciiLower(type);
  return t === 'message/rfc822' || t === 'message/global';
}
