/**
 * ENVELOPE as Courier's imapd writes it (courier-libs imap/msgenvelope.c): header fields read
 * with continuation lines joined, repeated fields joined with `,`, 8 KiB per field; strings
 * trimmed, NIL when empty; addresses split by Courier's RFC 822 parser. One deliberate
 * difference (test/fixtures/imapd/mime/DEVIATIONS.md): group syntax follows RFC 3501
 * (`(NIL NIL "group" NIL)` ... `(NIL NIL NIL NIL)`), where Courier prints empty strings.
 */
import { addressText, displayName, parseAddressList, trimCSpace } from './rfc822-address.js';
import { asciiLower } from './rfc822-tokens.js';
import { courierQuotedText } from './rfc2047-encode.js';

const MAX_FIELD = 8192;
const FIELDS = [
  'date',
  'subject',
  'from',
  'sender',
  'reply-to',
  'to',
  'cc',
  'bcc',
  'in-reply-to',
  'message-id',
];

/** read_header(): the header block's fields, each joined into one line (CR → space), up to the blank line. */
export function readHeaderFields(header: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const lines = header.split('\n');
  let i = 0;
  while (i < lines.length) {
    let line = lines[i]!;
    if (line === '' || line === '\r') break;
    i++;
    while (i < lines.length && (lines[i]!.startsWith(' ') || lines[i]!.startsWith('\t'))) {
      line += lines[i];
      i++;
    }
    line = line.replace(/\r/g, ' ').slice(0, MAX_FIELD - 1);
    const colon = line.indexOf(':');
    out.push(
      colon === -1 ? [asciiLower(line), ''] : [asciiLower(line.slice(0, colon)), line.slice(colon + 1)],
    );
  }
  return out;
}

function envString(value: string | null, utf8: boolean): string {
  const s = value === null ? '' : trimCSpace(value);
  return s === '' ? 'NIL' : `"${courierQuotedText(s, utf8)}"`;
}

function envAddresses(value: string | null, utf8: boolean): string {
  if (value === null) return 'NIL';
  const { text, addresses } = parseAddressList(value);
  if (addresses.length === 0) return 'NIL';
  let out = '(';
  for (const a of addresses) {
    if (a.tokens === null) {
      const name = a.name ?? [];
      if (name.length === 1 && name[0]!.kind === ';') out += '(NIL NIL NIL NIL)';
      else {
        const group = displayName(text, name).replace(/:$/, '');
        out += `(NIL NIL "${courierQuotedText(group, utf8)}" NIL)`;
      }
      continue;
    }
    const name = a.name === null ? '' : displayName(text, a.name);
    const addr = addressText(text, a.tokens);
    const at = addr.lastIndexOf('@');
    const local = at === -1 ? addr : addr.slice(0, at);
    const domain = at === -1 ? '' : addr.slice(at + 1);
    out += `(${envString(name, utf8)} NIL "${courierQuotedText(local, utf8)}" "${courierQuotedText(domain, utf8)}")`;
  }
  return `${out})`;
}

/** The ENVELOPE list for a raw header block (binary string); `utf8` = UTF8=ACCEPT enabled. */
export function formatEnvelope(header: string, utf8 = false): string {
  const values = new Map<string, string>();
  for (const [name, value] of readHeaderFields(header)) {
    if (!FIELDS.includes(name)) continue;
    const old = values.get(name);
    if (old === undefined) values.set(name, value);
    else {
      const joined = old.length > 0 ? `${old},${value}` : value;
      values.set(name, joined.slice(0, MAX_FIELD));
    }
  }
  const from = values.get('from') ?? null;
  const get = (k: string): string | null => values.get(k) ?? null;
  return `(${[
    envString(get('date'), utf8),
    envString(get('subject'), utf8),
    envAddresses(from, utf8),
    envAddresses(get('sender') ?? from ?? '', utf8),
    envAddresses(get('reply-to') ?? from ?? '', utf8),
    envAddresses(get('to'), utf8),
    envAddresses(get('cc'), utf8),
    envAddresses(get('bcc'), utf8),
    envString(get('in-reply-to'), utf8),
    envString(get('message-id'), utf8),
  ].join(' ')})`;
}
