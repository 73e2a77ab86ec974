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
  /** The field's lines in the served form, each ending in CRLF. */
  readonly raw: Buffer;
}

interface HeaderLines {
  readonly fields: Field[];
  /** The line that ended the header block (empty, or a lone CR in a CRLF file), served form; absent at EOF. */
  readonly terminator: Buffer | undefined;
}

/**
 * Reads a served-form header block (every stored LF sent as CRLF) the way Courier reads the stored
 * lines: a line is blank when it is empty or a lone CR, a last line without LF is not a field.
 */
function readHeaderLines(block: Buffer, keepUnterminated = false): HeaderLines {
  const fields: Field[] = [];
  let current: { name: string; from: number } | undefined;
  let start = 0;
  const close = (end: number): void => {
    if (current) fields.push({ name: current.name, raw: block.subarray(current.from, end) });
    current = undefined;
  };
  let tail: Buffer | undefined;
  while (start < block.length) {
    const lf = block.indexOf(LF, start);
    if (lf === -1) {
      // A block cut inside its last line (a part's header range): that line, CRs dropped, CRLF added.
      if (keepUnterminated && current) {
        let e = block.length;
        while (e > start && block[e - 1] === 0x0d) e--;
        if (e > start) tail = Buffer.concat([block.subarray(start, e), Buffer.from('\r\n')]);
      }
      break;
    }
    const end = lf + 1;
    // The stored line: the served line less the CR the LF -> CRLF conversion added.
    const storedLen = lf - start - (lf > start && block[lf - 1] === 0x0d ? 1 : 0);
    if (storedLen === 0 || (storedLen === 1 && block[start] === 0x0d)) {
      close(start);
      return { fields, terminator: block.subarray(start, end) };
    }
    const first = block[start];
    if (first !== 0x20 && first !== 0x09) {
      close(start);
      const line = block.subarray(start, lf);
      const colon = line.indexOf(0x3a);
      const name = (colon === -1 ? line : line.subarray(0, colon)).toString('latin1').trim().toLowerCase();
      current = { name, from: start };
    }
    start = end;
  }
  if (tail && current) {
    fields.push({ name: current.name, raw: Buffer.concat([block.subarray(current.from, start), tail]) });
    current = undefined;
  }
  close(start);
  return { fields, terminator: undefined };
}

/** Fields of a CRLF header block (the blank line excluded). */
export function headerFields(block: Buffer): Field[] {
  return readHeaderLines(block).fields;
}

/** The fields whose (lower-case) name passes `keep`, then the blank line if the block had one. */
export function selectFieldsBy(block: Buffer, keep: (name: string) => boolean): Buffer {
  const { fields, terminator } = readHeaderLines(block);
  const picked = fields.filter((f) => keep(f.name)).map((f) => f.raw);
  if (terminator) picked.push(terminator);
  return Buffer.concat(picked);
}

/** HEADER.FIELDS (names) / HEADER.FIELDS.NOT (names). */
export function selectFields(block: Buffer, names: readonly string[], not: boolean): Buffer {
  const want = new Set(names.map((n) => n.toLowerCase()));
  return selectFieldsBy(block, (name) => want.has(name) !== not);
}

/** `n.MIME`: the MIME fields (MIME-Version, Content-*) of a part's header, then CRLF. */
export function mimeFields(block: Buffer): Buffer {
  const { fields } = readHeaderLines(block, true);
  const picked = fields
    .filter((f) => f.name === 'mime-version' || f.name.startsWith('content-'))
    .map((f) => f.raw);
  return Buffer.concat([...picked, Buffer.from('\r\n')]);
}
