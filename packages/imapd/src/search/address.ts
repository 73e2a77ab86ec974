/** The addr-mailbox (local part) of the first address of an address header, for SORT FROM/TO/CC. */

function stripComments(s: string): string {
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      out += c;
      if (c === '\\' && i + 1 < s.length) out += s[++i];
      else if (c === '"') quoted = false;
    } else if (c === '"' && depth === 0) {
      quoted = true;
      out += c;
    } else if (c === '(') depth++;
    else if (c === ')' && depth > 0) depth--;
    else if (depth === 0) out += c;
  }
  return out;
}

/** The first address (`a@b`, `Name <a@b>`, inside a group) as `local@domain`, or undefined. */
function firstAddress(value: string): string | undefined {
  const s = stripComments(value);
  let token = '';
  let quoted = false;
  let angle = false;
  for (let i = 0; i <= s.length; i++) {
    const c = s[i];
    if (c === undefined || (!quoted && !angle && (c === ',' || c === ';' || c === ':'))) {
      const t = token.trim();
      token = '';
      if (c === ':') continue; // group display name
      if (t === '') {
        if (c === undefined) return undefined;
        continue;
      }
      const lt = t.indexOf('<');
      const addr = lt >= 0 ? t.slice(lt + 1, t.indexOf('>', lt) < 0 ? undefined : t.indexOf('>', lt)) : t;
      return addr.replace(/^(@[^:]*:)/, '').trim();
    }
    if (c === '"' && !angle) quoted = !quoted;
    else if (c === '\\' && quoted) {
      token += c + (s[i + 1] ?? '');
      i++;
      continue;
    } else if (c === '<' && !quoted) angle = true;
    else if (c === '>' && !quoted) angle = false;
    token += c;
  }
  return undefined;
}

/** addr-mailbox of the first address, or '' when there is none. */
export function firstMailbox(value: string | undefined): string {
  if (value === undefined) return '';
  const addr = firstAddress(value);
  if (addr === undefined) return '';
  const at = addr.lastIndexOf('@');
  let local = at >= 0 ? addr.slice(0, at) : addr;
  if (local.startsWith('"') && local.endsWith('"') && local.length >= 2)
    local = local.slice(1, -1).replace(/\\(.)/g, '$1');
  return local;
}
