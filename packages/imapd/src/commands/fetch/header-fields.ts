/**
 * Line-end conversions between the stored form (LF) and the served form (every LF sent as CRLF,
 * other CRs passed through, as @courier-ts/maildir streams it). Header sections themselves are
 * filtered by message/header-filter.ts on the stored bytes, as Courier does.
 */

const LF = 0x0a;
const CR = 0x0d;

/** Each LF becomes CRLF; other CRs pass through (Courier's output form). */
export function toCrlf(lf: Buffer): Buffer {
  let n = 0;
  for (let i = lf.indexOf(LF); i !== -1; i = lf.indexOf(LF, i + 1)) n++;
  if (n === 0) return lf;
  const out = Buffer.allocUnsafe(lf.length + n);
  let o = 0;
  let start = 0;
  for (let i = lf.indexOf(LF); i !== -1; i = lf.indexOf(LF, start)) {
    o += lf.copy(out, o, start, i);
    out[o++] = CR;
    out[o++] = LF;
    start = i + 1;
  }
  lf.copy(out, o, start);
  return out;
}

/** The inverse of toCrlf: drops the CR that the conversion put before each LF. */
export function fromCrlf(served: Buffer): Buffer {
  const out = Buffer.allocUnsafe(served.length);
  let o = 0;
  let start = 0;
  for (let i = served.indexOf(LF); i !== -1; i = served.indexOf(LF, start)) {
    const end = i > start && served[i - 1] === CR ? i - 1 : i;
    o += served.copy(out, o, start, end);
    out[o++] = LF;
    start = i + 1;
  }
  o += served.copy(out, o, start);
  return out.subarray(0, o);
}
