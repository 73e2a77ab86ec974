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
/** The longest name in FIELDS. */
const LONGEST_NAME = 11;
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

/** FIELDS by the length of their name. */
const FIELDS_BY_LENGTH: readonly (readonly string[])[] = Array.from({ length: LONGEST_NAME + 1 }, (_, n) =>
  FIELDS.filter((f) => f.length === n),
);

/**
 * The field of FIELDS named by `header[s, e)` (ASCII case-insensitively), or undefined; compared
 * in place: most header lines are other fields (Received, DKIM-Signature ...), not worth a string.
 */
function fieldOf(header: string, s: number, e: number): string | undefined {
  next: for (const f of FIELDS_BY_LENGTH[e - s] ?? []) {
    for (let i = 0; i < f.length; i++) {
      let c = header.charCodeAt(s + i);
      if (c >= 0x41 && c <= 0x5a) c |= 0x20;
      if (c !== f.charCodeAt(i)) continue next;
    }
    return f;
  }
  return undefined;
}

/**
 * The ENVELOPE fields of a header block, as readHeaderFields() would give them (repeated fields
 * joined with `,`), without making strings of the other fields (Received and the like).
 */
function envelopeFields(header: string): Map<string, string> {
  const values = new Map<string, string>();
  const n = header.length;
  let ls = 0;
  while (ls < n) {
    let le = header.indexOf('\n', ls);
    if (le === -1) le = n;
    // An empty line (or a lone CR) ends the header block.
    if (le === ls || (le === ls + 1 && header.charCodeAt(ls) === 0x0d)) break;
    // The field's continuation lines (starting with a space or a tab).
    let fe = le;
    while (fe < n) {
      const c = header.charCodeAt(fe + 1);
      if (c !== 0x20 && c !== 0x09) break;
      const next = header.indexOf('\n', fe + 1);
      fe = next === -1 ? n : next;
    }
    // A field's name ends at the first colon of its first line (else it is no field of ours).
    const colon = header.indexOf(':', ls);
    if (colon !== -1 && colon < le && colon - ls <= LONGEST_NAME) {
      const name = fieldOf(header, ls, colon);
      if (name !== undefined) {
        let line = header.slice(ls, fe);
        if (fe > le) line = line.replaceAll('\n', '');
        line = line.replace(/\r/g, ' ').slice(0, MAX_FIELD - 1);
        const value = line.slice(colon - ls + 1);
        const old = values.get(name);
        if (old === undefined) values.set(name, value);
        else values.set(name, (old.length > 0 ? `${old},${value}` : value).slice(0, MAX_FIELD));
      }
    }
    ls = fe + 1;
  }
  return values;
}

/** The ENVELOPE list for a raw header block (binary string); `utf8` = UTF8=ACCEPT enabled. */
export function formatEnvelope(header: string, utf8 = false): string {
  const values = envelopeFields(header);
  const get = (k: string): string | null => values.get(k) ?? null;
  // Sender and Reply-To default to From (an absent From and an empty one both give NIL): parsed once.
  const from = envAddresses(get('from'), utf8);
  const sender = get('sender');
  const replyTo = get('reply-to');
  return `(${[
    envString(get('date'), utf8),
    envString(get('subject'), utf8),
    from,
    sender === null ? from : envAddresses(sender, utf8),
    replyTo === null ? from : envAddresses(replyTo, utf8),
    envAddresses(get('to'), utf8),
    envAddresses(get('cc'), utf8),
    envAddresses(get('bcc'), utf8),
    envString(get('in-reply-to'), utf8),
    envString(get('message-id'), utf8),
  ].join(' ')})`;
}
