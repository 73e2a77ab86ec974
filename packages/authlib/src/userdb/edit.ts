/**
 * Text edits of a userdb file, as Courier's `userdb` script makes them: the record whose address equals
 * `name` is changed in place (other lines kept byte for byte); `set` on a missing name appends a line.
 */
const RECORD_RE = /^([^\t]+)(\t(.*))?$/;

function splitFields(s: string | undefined): Map<string, string> {
  const m = new Map<string, string>();
  for (const part of (s ?? '').split('|')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    // Perl keeps "=value" (with its `=`) or "" for a bare key.
    m.set(eq < 0 ? part : part.slice(0, eq), eq < 0 ? '' : part.slice(eq));
  }
  return m;
}

function joinFields(name: string, fields: Map<string, string>): string {
  return `${name}\t${[...fields].map(([k, v]) => `${k}${v}`).join('|')}`;
}

function lines(text: string): string[] {
  const l = text.split('\n');
  if (l.length > 0 && l[l.length - 1] === '') l.pop();
  return l;
}

/** `userdb NAME set k=v ...` (args already resolved to `k=v` or bare `k`). */
export function userdbSet(text: string, name: string, args: readonly string[]): string {
  const out = lines(text);
  for (let i = 0; i < out.length; i++) {
    const m = RECORD_RE.exec(out[i]!);
    if (!m || m[1] !== name) continue;
    const fields = splitFields(m[3]);
    for (const a of args) {
      const eq = a.indexOf('=');
      fields.set(eq < 0 ? a : a.slice(0, eq), eq < 0 ? '' : a.slice(eq));
    }
    out[i] = joinFields(name, fields);
    return `${out.join('\n')}\n`;
  }
  out.push(`${name}\t${args.join('|')}`);
  return `${out.join('\n')}\n`;
}

/** `unset k ...` (keys given) or `del` (no keys). Undefined when the name is absent (file untouched). */
export function userdbDelete(text: string, name: string, keys: readonly string[]): string | undefined {
  const out = lines(text);
  for (let i = 0; i < out.length; i++) {
    const m = RECORD_RE.exec(out[i]!);
    if (!m || m[1] !== name) continue;
    if (keys.length === 0) out.splice(i, 1);
    else {
      const fields = splitFields(m[3]);
      for (const k of keys) fields.delete(k);
      out[i] = joinFields(name, fields);
    }
    return out.length === 0 ? '' : `${out.join('\n')}\n`;
  }
  return undefined;
}

/** `userdb -show [NAME]`: the addresses, or NAME's fields one per line. */
export function userdbShow(text: string, name: string | undefined): string {
  let out = '';
  for (const line of lines(text)) {
    if (line.startsWith('#')) continue;
    const m = RECORD_RE.exec(line);
    if (!m) continue;
    if (name === undefined) out += `${m[1]}\n`;
    else if (m[1] === name) return `${(m[3] ?? '').replace(/\|/g, '\n')}\n`;
  }
  return out;
}
