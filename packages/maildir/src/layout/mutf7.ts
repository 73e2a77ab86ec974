/** Modified UTF-7 (RFC 3501 section 5.1.3): IMAP mailbox names on the wire <-> UTF-8. */
import { InvalidMutf7Error } from '../errors.js';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,';

function isDirect(code: number): boolean {
  return code >= 0x20 && code <= 0x7e;
}

function encodeRun(units: number[]): string {
  let out = '&';
  let bits = 0;
  let acc = 0;
  for (const u of units) {
    acc = (acc << 16) | u;
    bits += 16;
    while (bits >= 6) {
      bits -= 6;
      out += B64[(acc >> bits) & 0x3f];
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out += B64[(acc << (6 - bits)) & 0x3f];
  return `${out}-`;
}

/** UTF-8 (JS string) -> modified UTF-7. */
export function encodeMutf7(name: string): string {
  let out = '';
  let run: number[] = [];
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (isDirect(code)) {
      if (run.length > 0) {
        out += encodeRun(run);
        run = [];
      }
      out += code === 0x26 ? '&-' : name[i];
    } else {
      run.push(code);
    }
  }
  if (run.length > 0) out += encodeRun(run);
  return out;
}

function decodeRun(input: string, b64: string): string {
  const units: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const ch of b64) {
    const v = B64.indexOf(ch);
    if (v < 0) throw new InvalidMutf7Error(input, `bad base64 character ${JSON.stringify(ch)}`);
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 16) {
      bits -= 16;
      units.push((acc >> bits) & 0xffff);
    }
  }
  if (bits >= 6 || (acc & ((1 << bits) - 1)) !== 0) throw new InvalidMutf7Error(input, 'bad base64 padding');
  if (units.length === 0) throw new InvalidMutf7Error(input, 'empty shift sequence');
  for (let i = 0; i < units.length; i++) {
    const u = units[i]!;
    if (isDirect(u)) throw new InvalidMutf7Error(input, 'printable ASCII encoded in base64');
    if (u >= 0xd800 && u <= 0xdbff) {
      const next = units[i + 1];
      if (next === undefined || next < 0xdc00 || next > 0xdfff)
        throw new InvalidMutf7Error(input, 'unpaired surrogate');
      i++;
    } else if (u >= 0xdc00 && u <= 0xdfff) {
      throw new InvalidMutf7Error(input, 'unpaired surrogate');
    }
  }
  return String.fromCharCode(...units);
}

/** Modified UTF-7 -> UTF-8 (JS string). Throws InvalidMutf7Error on malformed input. */
export function decodeMutf7(input: string): string {
  let out = '';
  let i = 0;
  while (i < input.length) {
    const code = input.charCodeAt(i);
    if (!isDirect(code)) throw new InvalidMutf7Error(input, 'non-printable or 8-bit character');
    if (code !== 0x26) {
      out += input[i];
      i++;
      continue;
    }
    const end = input.indexOf('-', i + 1);
    if (end < 0) throw new InvalidMutf7Error(input, 'unterminated shift sequence');
    if (end === i + 1) out += '&';
    else out += decodeRun(input, input.slice(i + 1, end));
    i = end + 1;
  }
  return out;
}
