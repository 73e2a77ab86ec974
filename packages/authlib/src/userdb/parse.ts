/** One userdb record: `<address>\t<f>=<v>|<f>=<v>|...`. */
export interface UserdbEntry {
  readonly address: string;
  readonly fields: ReadonlyMap<string, string>;
  /** Where it came from (file and line), for reports. */
  readonly source: string;
  readonly line: number;
}

export interface UserdbProblem {
  readonly source: string;
  readonly line: number;
  readonly message: string;
}

export interface ParsedUserdb {
  readonly entries: readonly UserdbEntry[];
  readonly problems: readonly UserdbProblem[];
}

/** Split `f=v|f=v` into a map (first occurrence wins; a field without `=` has the value ''). */
export function parseUserdbFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const part of text.split('|')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    if (!fields.has(key)) fields.set(key, eq < 0 ? '' : part.slice(eq + 1));
  }
  return fields;
}

export function formatUserdbFields(fields: ReadonlyMap<string, string>): string {
  return [...fields].map(([k, v]) => `${k}=${v}`).join('|');
}

/** Whether a field belongs in userdbshadow.dat (`^[^=]*pw=`): systempw, imappw, hmac-md5pw, ... */
export function isShadowField(name: string): boolean {
  return name.endsWith('pw');
}

/**
 * Parse userdb text. Blank and `#` lines are comments; reverse entries (`<uid>=\t<name>`) are skipped;
 * a line without a TAB, an empty address or a duplicate address is reported as a problem.
 */
export function parseUserdbText(text: string, source: string): ParsedUserdb {
  const entries: UserdbEntry[] = [];
  const problems: UserdbProblem[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, '');
    if (raw.trim() === '' || raw.startsWith('#')) continue;
    const tab = raw.indexOf('\t');
    if (tab <= 0) {
      problems.push({ source, line: i + 1, message: 'missing TAB between address and fields' });
      continue;
    }
    const address = raw.slice(0, tab);
    if (address.endsWith('=')) continue;
    const rest = raw.slice(tab + 1).replace(/^\t+/, '');
    if (/[\0-\x08\x0a-\x1f\x7f]/.test(rest)) {
      problems.push({ source, line: i + 1, message: `${address}: control character in fields` });
      continue;
    }
    entries.push({ address, fields: parseUserdbFields(rest), source, line: i + 1 });
  }
  return { entries, problems };
}

/** Courier requires uid, gid and home; uid/gid must be numbers. */
export function validateUserdbEntry(e: UserdbEntry): string | undefined {
  for (const k of ['uid', 'gid', 'home']) if (!e.fields.has(k)) return `${e.address}: missing ${k}=`;
  for (const k of ['uid', 'gid'])
    if (!/^\d+$/.test(e.fields.get(k)!)) return `${e.address}: ${k}= is not a number`;
  return undefined;
}
