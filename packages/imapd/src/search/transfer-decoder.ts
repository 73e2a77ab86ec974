/**
 * Content-Transfer-Encoding decoders fed body bytes in pieces of any size (lines, parts of lines or
 * many lines at once): the output does not depend on where the pieces are cut. Lines end with LF;
 * a CR before the LF is dropped. Memory is bounded: at most one line (capped at MAX_LINE) is held.
 */

export interface TransferDecoder {
  /** Decoded bytes for `bytes`; may be a view of `bytes` (copy it to keep it past the next write). */
  write(bytes: Buffer): Buffer;
  end(): Buffer;
}

/** A quoted-printable line longer than this is decoded in pieces (no soft break or trailing blanks there). */
export const MAX_LINE = 8192;

const EMPTY = Buffer.alloc(0);
const CR_BUF = Buffer.from('\r');

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/**
 * Quoted-printable, line by line: trailing blanks dropped, `=` at the end joins the next line,
 * `=XX` decoded, anything else (a lone `=`, `=ZZ`) kept as it is.
 */
class QuotedPrintable implements TransferDecoder {
  /** The current line's bytes so far (no LF seen yet). */
  #carry: Buffer = EMPTY;

  write(bytes: Buffer): Buffer {
    const input = this.#carry.length > 0 ? Buffer.concat([this.#carry, bytes]) : bytes;
    this.#carry = EMPTY;
    const out = Buffer.allocUnsafe(input.length);
    let n = 0;
    let s = 0;
    for (;;) {
      const nl = input.indexOf(10, s);
      if (nl < 0) break;
      n = this.#line(input, s, nl, true, out, n);
      s = nl + 1;
    }
    if (s < input.length) {
      if (input.length - s > MAX_LINE) n = this.#line(input, s, input.length, false, out, n);
      else this.#carry = Buffer.from(input.subarray(s));
    }
    return out.subarray(0, n);
  }

  /** Decodes input[s, e) (a line without its LF when `complete`) into out at n; returns the new n. */
  #line(input: Buffer, s: number, e: number, complete: boolean, out: Buffer, n: number): number {
    let end = e;
    if (complete) {
      if (end > s && input[end - 1] === 13) end--;
      while (end > s && (input[end - 1] === 32 || input[end - 1] === 9)) end--;
    }
    let soft = false;
    if (complete && end > s && input[end - 1] === 61) {
      soft = true;
      end--;
    }
    for (let i = s; i < end; i++) {
      const c = input[i]!;
      if (c === 61 && i + 2 < end) {
        const h = hexVal(input[i + 1]!);
        const l = hexVal(input[i + 2]!);
        if (h >= 0 && l >= 0) {
          out[n++] = h * 16 + l;
          i += 2;
          continue;
        }
      }
      out[n++] = c;
    }
    if (complete && !soft) out[n++] = 10;
    return n;
  }

  end(): Buffer {
    const rest = this.#carry;
    this.#carry = EMPTY;
    if (rest.length === 0) return EMPTY;
    const out = Buffer.allocUnsafe(rest.length + 1);
    return out.subarray(0, this.#line(rest, 0, rest.length, true, out, 0));
  }
}

/** True for the base64 alphabet (A-Z a-z 0-9 + /); everything else (`=`, white space, junk) is skipped. */
function isB64(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47;
}

class Base64 implements TransferDecoder {
  /** Alphabet characters not yet decoded (fewer than 4). */
  #rest = '';
  write(bytes: Buffer): Buffer {
    const clean = Buffer.allocUnsafe(this.#rest.length + bytes.length);
    let n = clean.write(this.#rest, 'latin1');
    for (let i = 0; i < bytes.length; i++) {
      const c = bytes[i]!;
      if (isB64(c)) clean[n++] = c;
    }
    const usable = n - (n % 4);
    this.#rest = clean.toString('latin1', usable, n);
    return usable === 0 ? EMPTY : Buffer.from(clean.toString('latin1', 0, usable), 'base64');
  }
  end(): Buffer {
    const r = this.#rest;
    this.#rest = '';
    return r.length >= 2 ? Buffer.from(r, 'base64') : EMPTY;
  }
}

/** 7bit, 8bit, binary: the bytes as they are, CR LF -> LF. */
class Identity implements TransferDecoder {
  /** The previous piece ended with CR: dropped if this one starts with LF. */
  #cr = false;
  write(bytes: Buffer): Buffer {
    if (bytes.length === 0) return EMPTY;
    let b = bytes;
    if (this.#cr) {
      this.#cr = false;
      if (b[0] !== 10) b = Buffer.concat([CR_BUF, b]);
    }
    if (b[b.length - 1] === 13) {
      this.#cr = true;
      b = b.subarray(0, -1);
    }
    let cr = b.indexOf(13);
    if (cr < 0) return b;
    const out = Buffer.allocUnsafe(b.length);
    let n = 0;
    let s = 0;
    while (cr >= 0) {
      if (b[cr + 1] === 10) {
        n += b.copy(out, n, s, cr);
        s = cr + 1;
      }
      cr = b.indexOf(13, cr + 1);
    }
    n += b.copy(out, n, s);
    return out.subarray(0, n);
  }
  end(): Buffer {
    const cr = this.#cr;
    this.#cr = false;
    return cr ? CR_BUF : EMPTY;
  }
}

export function transferDecoder(encoding: string): TransferDecoder {
  if (encoding === 'quoted-printable') return new QuotedPrintable();
  if (encoding === 'base64') return new Base64();
  return new Identity();
}
