/** Content-Transfer-Encoding decoders fed one line at a time (line without its end of line). */

export interface TransferDecoder {
  /** `complete` = the line ended (false for a piece of an over-long line). */
  line(bytes: Buffer, complete: boolean): Buffer;
  end(): Buffer;
}

const NL = Buffer.from('\n');

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

class QuotedPrintable implements TransferDecoder {
  line(bytes: Buffer, complete: boolean): Buffer {
    let end = bytes.length;
    while (complete && end > 0 && (bytes[end - 1] === 32 || bytes[end - 1] === 9)) end--;
    let soft = false;
    if (complete && end > 0 && bytes[end - 1] === 61) {
      soft = true;
      end--;
    }
    const out = Buffer.allocUnsafe(end + 1);
    let n = 0;
    for (let i = 0; i < end; i++) {
      const c = bytes[i]!;
      if (c === 61 && i + 2 < end) {
        const h = hexVal(bytes[i + 1]!);
        const l = hexVal(bytes[i + 2]!);
        if (h >= 0 && l >= 0) {
          out[n++] = h * 16 + l;
          i += 2;
          continue;
        }
      }
      out[n++] = c;
    }
    if (complete && !soft) out[n++] = 10;
    return out.subarray(0, n);
  }
  end(): Buffer {
    return Buffer.alloc(0);
  }
}

class Base64 implements TransferDecoder {
  #rest = '';
  line(bytes: Buffer): Buffer {
    const clean = this.#rest + bytes.toString('latin1').replace(/[^A-Za-z0-9+/]/g, '');
    const usable = clean.length - (clean.length % 4);
    this.#rest = clean.slice(usable);
    return Buffer.from(clean.slice(0, usable), 'base64');
  }
  end(): Buffer {
    const r = this.#rest;
    this.#rest = '';
    return r.length >= 2 ? Buffer.from(r, 'base64') : Buffer.alloc(0);
  }
}

class Identity implements TransferDecoder {
  line(bytes: Buffer, complete: boolean): Buffer {
    return complete ? Buffer.concat([bytes, NL]) : bytes;
  }
  end(): Buffer {
    return Buffer.alloc(0);
  }
}

export function transferDecoder(encoding: string): TransferDecoder {
  if (encoding === 'quoted-printable') return new QuotedPrintable();
  if (encoding === 'base64') return new Base64();
  return new Identity();
}
