import { isUtf8 } from 'node:buffer';

/** Sent verbatim as an atom (flags, keywords, response words). */
export interface AtomValue {
  readonly kind: 'atom';
  readonly value: string;
}

/** Forced literal (message data): `{n}` CRLF bytes, or `~{n}` for literal8. */
export interface LiteralValue {
  readonly kind: 'literal';
  readonly value: Buffer;
  readonly binary: boolean;
}

/** Bytes that are already IMAP syntax (a cached BODYSTRUCTURE, a label like `BODY[1]<0>`). */
export interface RawValue {
  readonly kind: 'raw';
  readonly value: Buffer;
}

/**
 * A value of a response: null = NIL, numbers as numbers, string / Buffer = an IMAP string
 * (quoted when safe, else a literal), arrays = parenthesised lists.
 */
export type ImapValue =
  | null
  | number
  | string
  | Buffer
  | AtomValue
  | LiteralValue
  | RawValue
  | readonly ImapValue[];

export interface FormatOptions {
  /** UTF8=ACCEPT enabled: UTF-8 may travel in quoted strings (RFC 6855). */
  readonly utf8?: boolean;
  /** Longest string sent quoted; longer ones become literals (default 8192). */
  readonly maxQuoted?: number;
}

export function atom(value: string): AtomValue {
  return { kind: 'atom', value };
}

export function literal(value: Buffer | string, binary = false): LiteralValue {
  return { kind: 'literal', value: typeof value === 'string' ? Buffer.from(value, 'utf8') : value, binary };
}

export function raw(value: Buffer | string): RawValue {
  return { kind: 'raw', value: typeof value === 'string' ? Buffer.from(value, 'utf8') : value };
}

const CRLF = Buffer.from('\r\n');

/** True if `bytes` may be sent as a quoted string. */
export function canQuote(bytes: Buffer, options: FormatOptions = {}): boolean {
  if (bytes.length > (options.maxQuoted ?? 8192)) return false;
  let eight = false;
  for (const b of bytes) {
    if (b === 0 || b === 0x0d || b === 0x0a) return false;
    if (b >= 0x80) eight = true;
  }
  return !eight || (options.utf8 === true && isUtf8(bytes));
}

/** Encodes an IMAP string: quoted (escaping `"` and `\`) or a literal. */
export function encodeString(value: string | Buffer, options: FormatOptions = {}): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  if (!canQuote(bytes, options)) return Buffer.concat([Buffer.from(`{${bytes.length}}\r\n`), bytes]);
  let escapes = 0;
  for (const b of bytes) if (b === 0x22 || b === 0x5c) escapes++;
  const out = Buffer.allocUnsafe(bytes.length + escapes + 2);
  let j = 0;
  out[j++] = 0x22;
  for (const b of bytes) {
    if (b === 0x22 || b === 0x5c) out[j++] = 0x5c;
    out[j++] = b;
  }
  out[j++] = 0x22;
  return out;
}

function push(value: ImapValue, options: FormatOptions, out: Buffer[]): void {
  if (value === null) {
    out.push(Buffer.from('NIL'));
  } else if (typeof value === 'number') {
    out.push(Buffer.from(String(Math.trunc(value))));
  } else if (typeof value === 'string' || Buffer.isBuffer(value)) {
    out.push(encodeString(value, options));
  } else if (Array.isArray(value)) {
    out.push(Buffer.from('('));
    pushJoined(value, options, out);
    out.push(Buffer.from(')'));
  } else {
    const v = value as AtomValue | LiteralValue | RawValue;
    if (v.kind === 'atom') out.push(Buffer.from(v.value, 'utf8'));
    else if (v.kind === 'raw') out.push(v.value);
    else out.push(Buffer.from(`${v.binary ? '~' : ''}{${v.value.length}}\r\n`), v.value);
  }
}

function pushJoined(values: readonly ImapValue[], options: FormatOptions, out: Buffer[]): void {
  values.forEach((v, i) => {
    if (i > 0) out.push(Buffer.from(' '));
    push(v, options, out);
  });
}

/** Values joined by single spaces, no line end. */
export function formatValues(values: readonly ImapValue[], options: FormatOptions = {}): Buffer {
  const out: Buffer[] = [];
  pushJoined(values, options, out);
  return Buffer.concat(out);
}

/** `* <values>` CRLF. */
export function formatUntagged(values: readonly ImapValue[], options: FormatOptions = {}): Buffer {
  const out: Buffer[] = [Buffer.from('* ')];
  pushJoined(values, options, out);
  out.push(CRLF);
  return Buffer.concat(out);
}

export type ResponseStatus = 'OK' | 'NO' | 'BAD' | 'BYE' | 'PREAUTH';

/** `<tag> <status> [<code>] <text>` CRLF; `tag` null gives an untagged status (`* NO ...`). */
export function formatStatus(
  tag: string | null,
  status: ResponseStatus,
  text: string,
  code?: string,
): Buffer {
  const c = code === undefined ? '' : `[${code}] `;
  return Buffer.from(`${tag ?? '*'} ${status} ${c}${text}\r\n`, 'utf8');
}

/** `+ <text>` CRLF (Courier: `+ OK` for literals, `+ entering idle mode`, `+ ` for SASL). */
export function formatContinuation(text: string): Buffer {
  return Buffer.from(`+ ${text}\r\n`, 'utf8');
}
