/** Header blocks for BODY[HEADER.FIELDS (...)] / [HEADER.FIELDS.NOT (...)]: whole fields, folded lines kept. */

const LF = 0x0a;

/** Each LF becomes CRLF; other CRs pass through (Courier's output form, as @courier-ts/maildir streams it). */
export function toCrlf(lf: Buffer): Buffer {
  let n = 0;
  for (let i = lf.indexOf(LF); i !== -1; i = lf.indexOf(LF, i + 1)) n++;
  if (n === 0) return lf;
  const out = Buffer.allocUnsafe(lf.length + n);
  let o = 0;
  let start = 0;
  for (let i = lf.indexOf(LF); i !== -1; i = lf.indexOf(LF, start)) {
    o += lf.copy(out, o, start, i);
    out[o++] = 0x0d;
    out[o++] = LF;
    start = i + 1;
  }
  lf.copy(out, o, start);
  return out;
}

interface Field {
  readonly name: string;
  readonly raw: Buffer;
}

/** Fields of a CRLF header block (the blank line excluded). */
export function headerFields(block: Buffer): Field[] {
  const out: Field[] = [];
  let start = 0;
  let current: { name: string; from: number } | undefined;
  while (start < block.length) {
    let end = block.indexOf(LF, start);
    end = end === -1 ? block.length : end + 1;
    const line = block.subarray(start, end);
    const blank = line.length <= 2 && (line[0] === 0x0d || line[0] === LF);
    if (blank) {
      if (current) out.push({ name: current.name, raw: block.subarray(current.from, start) });
      current = undefined;
      break;
    }
    const first = line[0];
    if (first === 0x20 || first === 0x09) {
      // continuation of the current field
    } else {
      if (current) out.push({ name: current.name, raw: block.subarray(current.from, start) });
      const colon = line.indexOf(0x3a);
      const name = (colon === -1 ? line : line.subarray(0, colon)).toString('latin1').trim().toLowerCase();
      current = { name, from: start };
    }
    start = end;
  }
  if (current) out.push({ name: current.name, raw: block.subarray(current.from, start) });
  return out;
}

/** The fields whose (lower-case) name passes `keep`, followed by the blank line. */
export function selectFieldsBy(block: Buffer, keep: (name: string) => boolean): Buffer {
  const picked = headerFields(block)
    .filter((f) => keep(f.name))
    .map((f) => f.raw);
  return Buffer.concat([...picked, Buffer.from('\r\n')]);
}

/** HEADER.FIELDS (names) / HEADER.FIELDS.NOT (names). */
export function selectFields(block: Buffer, names: readonly string[], not: boolean): Buffer {
  const want = new Set(names.map((n) => n.toLowerCase()));
  return selectFieldsBy(block, (name) => want.has(name) !== not);
}
