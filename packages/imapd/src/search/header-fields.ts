/**
 * Header blocks as SEARCH, SORT and THREAD see them: unfolded fields, raw 8-bit bytes read as UTF-8,
 * RFC 2047 encoded words decoded (libmime; RFC 2231 parameters stay raw, as in Courier).
 */
import { TextDecoder } from 'node:util';
import libmime from 'libmime';

export interface HeaderField {
  /** As written (case kept). */
  readonly name: string;
  /** Unfolded value, leading white space removed, encoded words decoded. */
  readonly value: string;
  /** Unfolded value without decoding (Content-Type parameters, Message-IDs). */
  readonly raw: string;
}

/** Decodes encoded words; a malformed word is left as it is. */
export function decodeHeaderValue(raw: string): string {
  if (!raw.includes('=?')) return raw;
  try {
    return libmime.decodeWords(raw);
  } catch {
    return raw;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Parses a header block (up to and excluding the blank line; LF or CRLF lines). */
export function parseHeaderBlock(block: Buffer | string): HeaderField[] {
  const text = typeof block === 'string' ? block : utf8.decode(block);
  const fields: HeaderField[] = [];
  let name: string | undefined;
  let value = '';
  const flush = (): void => {
    if (name === undefined) return;
    // Only folded fields hold line breaks (most do not: skip the regex there).
    let raw = value.includes('\n') ? value.replace(/\r?\n/g, '') : value;
    let lead = 0;
    while (raw[lead] === ' ' || raw[lead] === '\t') lead++;
    if (lead > 0) raw = raw.slice(lead);
    fields.push({ name, raw, value: decodeHeaderValue(raw) });
    name = undefined;
  };
  for (const line of text.split('\n')) {
    const l = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (l === '') break;
    if ((l.startsWith(' ') || l.startsWith('\t')) && name !== undefined) {
      value += `\n${l}`;
      continue;
    }
    flush();
    const colon = l.indexOf(':');
    if (colon <= 0) continue;
    name = l.slice(0, colon).trimEnd();
    value = l.slice(colon + 1);
  }
  flush();
  return fields;
}

/** First field of that name (case-insensitive). */
export function headerValue(fields: readonly HeaderField[], name: string): HeaderField | undefined {
  const lower = name.toLowerCase();
  return fields.find((f) => f.name.toLowerCase() === lower);
}

export interface ContentInfo {
  /** `type/subtype`, lower case. */
  readonly type: string;
  readonly boundary: string | undefined;
  readonly charset: string | undefined;
  readonly encoding: string;
}

const paramPattern = (key: string): RegExp =>
  new RegExp(`;\\s*${key}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]+))`, 'i');
/** Built once: contentInfo runs for every header block SEARCH reads. */
const PARAMS = { boundary: paramPattern('boundary'), charset: paramPattern('charset') } as const;

function param(params: string, key: keyof typeof PARAMS): string | undefined {
  if (params === '') return undefined;
  const m = PARAMS[key].exec(params);
  if (!m) return undefined;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2];
}

/** Content-Type / Content-Transfer-Encoding of a part (`defaultType` per RFC 2046: text/plain or message/rfc822 in a digest). */
export function contentInfo(fields: readonly HeaderField[], defaultType = 'text/plain'): ContentInfo {
  const ct = headerValue(fields, 'Content-Type')?.raw ?? '';
  const semi = ct.indexOf(';');
  let type = (semi < 0 ? ct : ct.slice(0, semi)).trim().toLowerCase();
  if (!type.includes('/')) type = defaultType;
  const params = semi < 0 ? '' : ct.slice(semi);
  const cte = headerValue(fields, 'Content-Transfer-Encoding')?.raw.trim().toLowerCase() ?? '7bit';
  return { type, boundary: param(params, 'boundary'), charset: param(params, 'charset'), encoding: cte };
}
