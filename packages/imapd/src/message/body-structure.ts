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
  const type = part.contentType || 'text/plain';
  if (part.multipart) {
    const kids = part.children.map((c) => formatBodyStructure(c, extended, utf8)).join('');
    const slash = type.indexOf('/');
    let out = `(${kids} "${courierQuotedText(slash === -1 ? '' : type.slice(slash + 1), utf8)}"`;
    if (extended)
      out += ` ${paramList(part.params, utf8)} ${disposition(part, utf8)} ${str(part.language, utf8)}`;
    return `${out})`;
  }
  const words = type.split(/[ /]+/).filter((w) => w !== '');
  let out = `("${courierQuotedText(words[0] ?? '', utf8)}" "${courierQuotedText(words[1] ?? '', utf8)}" `;
  out += `${paramList(part.params, utf8)} `;
  out += part.id === null || part.id === '' ? 'NIL' : `"<${courierQuotedText(part.id, utf8)}>"`;
  out += ` ${str(part.description, utf8)} "${courierQuotedText(part.encoding || '8bit', utf8)}" ${part.size}`;
  if (/^text(\/|$)/i.test(type)) out += ` ${part.lines}`;
  if (part.message !== null) {
    const inner = part.message;
    out += ` ${formatEnvelope(inner.header ?? '', utf8)} ${formatBodyStructure(inner, extended, utf8)} ${part.lines}`;
  }
  if (extended) out += ` ${str(part.md5, utf8)} ${disposition(part, utf8)} NIL`;
  return `${out})`;
}
