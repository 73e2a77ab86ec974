/**
 * BODY and BODYSTRUCTURE exactly as Courier's imapd writes them (courier-libs
 * imap/msgbodystructure.c): every string quoted (8-bit RFC 2047-encoded unless UTF8=ACCEPT),
 * default encoding "8bit", no implied charset, Content-Language not reported for single parts.
 */
import { formatEnvelope } from './envelope.js';
import type { MimeParam, MimePart } from './mime-part.js';
import { courierQuotedText } from './rfc2047-encode.js';

function str(value: string | null, utf8: boolean): string {
  return value === null || value === '' ? 'NIL' : `"${courierQuotedText(value, utf8)}"`;
}

/** Parameter values lose every backslash first (Courier is built with IMAP_CLIENT_BUGS). */
function paramList(params: readonly MimeParam[], utf8: boolean): string {
  if (params.length === 0) return 'NIL';
  const items = params.map(
    (p) => `"${courierQuotedText(p.name, utf8)}" "${courierQuotedText(p.value.replace(/\\/g, ''), utf8)}"`,
  );
  return `(${items.join(' ')})`;
}

function disposition(part: MimePart, utf8: boolean): string {
  const d = part.disposition ?? '';
  if (d === '' && part.dispositionParams.length === 0) return 'NIL';
  return `(${d === '' ? '""' : `"${courierQuotedText(d, utf8)}"`} ${paramList(part.dispositionParams, utf8)})`;
}

/** The `(...)` structure of one part; `extended` = BODYSTRUCTURE, else BODY. */
export function formatBodyStructure(part: MimePart, extended: boolean, utf8 = false): string {
  return formatBodyStructures(part, utf8)[extended ? 0 : 1];
}

/**
 * BODYSTRUCTURE and BODY of one part, in one walk: BODY is BODYSTRUCTURE without the extension
 * data, so everything else (and an attached message's ENVELOPE) is formatted once for both.
 */
export function formatBodyStructures(part: MimePart, utf8 = false): [structure: string, body: string] {
  const type = part.contentType || 'text/plain';
  if (part.multipart) {
    let structure = '(';
    let body = '(';
    for (const c of part.children) {
      const [s, b] = formatBodyStructures(c, utf8);
      structure += s;
      body += b;
    }
    const slash = type.indexOf('/');
    const subtype = ` "${courierQuotedText(slash === -1 ? '' : type.slice(slash + 1), utf8)}"`;
    const extension = ` ${paramList(part.params, utf8)} ${disposition(part, utf8)} ${str(part.language, utf8)}`;
    return [`${structure}${subtype}${extension})`, `${body}${subtype})`];
  }
  const words = type.split(/[ /]+/).filter((w) => w !== '');
  let out = `("${courierQuotedText(words[0] ?? '', utf8)}" "${courierQuotedText(words[1] ?? '', utf8)}" `;
  out += `${paramList(part.params, utf8)} `;
  out += part.id === null || part.id === '' ? 'NIL' : `"<${courierQuotedText(part.id, utf8)}>"`;
  out += ` ${str(part.description, utf8)} "${courierQuotedText(part.encoding || '8bit', utf8)}" ${part.size}`;
  if (/^text(\/|$)/i.test(type)) out += ` ${part.lines}`;
  let structure = out;
  let body = out;
  if (part.message !== null) {
    const inner = part.message;
    const envelope = formatEnvelope(inner.header ?? '', utf8);
    const [s, b] = formatBodyStructures(inner, utf8);
    structure += ` ${envelope} ${s} ${part.lines}`;
    body += ` ${envelope} ${b} ${part.lines}`;
  }
  structure += ` ${str(part.md5, utf8)} ${disposition(part, utf8)} NIL`;
  return [`${structure})`, `${body})`];
}
