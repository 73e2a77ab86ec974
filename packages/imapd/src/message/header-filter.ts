/**
 * BODY[...HEADER.FIELDS (..)], BODY[...HEADER.FIELDS.NOT (..)] and BODY[n.MIME] as Courier's
 * imapd builds them (courier-libs imap/fetch.c dofetchheadersbuf / dofetchheadersfile):
 * whole fields (continuation lines included) are kept or dropped by name, compared
 * case-insensitively; MIME keeps MIME-Version and Content-*. Header blocks up to 8 KiB end
 * with one blank line; larger ones are filtered line by line the way Courier's file variant
 * does it (its blank-line handling differs) and end with CRLF.
 */

export type HeaderFilter = 'fields' | 'not' | 'mime';

const BUFSIZ = 8192;

function isCSpaceByte(b: number): boolean {
  return b === 0x20 || (b >= 0x09 && b <= 0x0d);
}

function makeMatcher(filter: HeaderFilter, names: readonly string[]): (name: string) => boolean {
  const upper = names.map((n) => n.toUpperCase());
  const fields = (name: string): boolean => upper.includes(name.toUpperCase());
  if (filter === 'fields') return fields;
  if (filter === 'not') return (name) => !fields(name);
  return (name) => {
    const u = name.toUpperCase();
    return u === 'MIME-VERSION' || u.startsWith('CONTENT-');
  };
}

/** LF → CRLF (every LF, as the rest of the served form). */
function toServed(lfForm: Buffer): Buffer {
  return Buffer.from(lfForm.toString('latin1').replace(/\n/g, '\r\n'), 'latin1');
}

function filterSmall(header: Buffer, good: (name: string) => boolean): Buffer {
  const out: Buffer[] = [];
  let keep = good('');
  let j = 0;
  while (j < header.length) {
    const b = header[j]!;
    if (b !== 0x0a && b !== 0x0d && !isCSpaceByte(b)) {
      keep = good('');
      let k = j;
      while (k < header.length && header[k] !== 0x0a && header[k] !== 0x3a) k++;
      if (k < header.length && header[k] === 0x3a) keep = good(header.toString('latin1', j, k));
    } else if (b === 0x0a) keep = false;
    const nl = header.indexOf(0x0a, j);
    const k = nl === -1 ? header.length : nl + 1;
    if (keep) out.push(header.subarray(j, k));
    j = k;
  }
  out.push(Buffer.from('\n'));
  return toServed(Buffer.concat(out));
}

function filterLarge(header: Buffer, good: (name: string) => boolean): Buffer {
  const out: Buffer[] = [];
  let keep = good('');
  let j = 0;
  while (j < header.length) {
    let k = j;
    while (k < header.length && k - j < 255 && header[k] !== 0x0a && header[k] !== 0x3a) k++;
    const name = header.toString('latin1', j, k);
    const first = k > j ? header[j]! : 0;
    if (first !== 0x0a && first !== 0x0d && !isCSpaceByte(first)) keep = good(name);
    else if (first === 0x0a) keep = false;
    const nl = header.indexOf(0x0a, k);
    const end = nl === -1 ? header.length : nl + 1;
    if (keep) out.push(header.subarray(j, end));
    j = end;
  }
  return Buffer.concat([toServed(Buffer.concat(out)), Buffer.from('\r\n')]);
}

/**
 * Filters a raw header block (file bytes from the part's start to its body) and returns the
 * served bytes. `names`: the HEADER.FIELDS list (ignored for MIME).
 */
export function filterHeaderBlock(
  header: Buffer,
  filter: HeaderFilter,
  names: readonly string[] = [],
): Buffer {
  const good = makeMatcher(filter, names);
  return header.length <= BUFSIZ ? filterSmall(header, good) : filterLarge(header, good);
}
