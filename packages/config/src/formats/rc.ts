/**
 * Reader for authlib's `NAME value` files (authmysqlrc, authpgsqlrc, authsqliterc, authldaprc), with
 * Courier's rules: `#` comment lines (after optional whitespace), blank lines skipped, NAME then
 * whitespace then the value, trailing whitespace trimmed, a trailing `\` joins the next line (the
 * backslash becomes a space), the FIRST occurrence of a name wins, and a `##NAME: MARKER:` line must be
 * present (authlib refuses to load the module without it).
 */

export interface RcAssignment {
  readonly key: string;
  readonly value: string;
  /** The line the setting starts on (1-based). */
  readonly line: number;
}

export interface RcProblem {
  readonly severity: 'error' | 'warning';
  readonly line?: number;
  readonly key?: string;
  readonly message: string;
}

export interface RcReadResult {
  /** The settings in force (first occurrence of each name), in file order. */
  readonly assignments: readonly RcAssignment[];
  readonly problems: readonly RcProblem[];
  /** True when a `##NAME:` marker line was found. */
  readonly hasMarker: boolean;
}

const MARKER = /^##NAME:\s*\S+:/;

/** Splits the text into logical lines (continuations joined), remembering where each one started. */
function logicalLines(text: string): { text: string; line: number }[] {
  const physical = text.split('\n');
  const out: { text: string; line: number }[] = [];
  let pending: { text: string; line: number } | undefined;
  physical.forEach((raw, i) => {
    const lineText = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const joined = pending ? `${pending.text}${lineText}` : lineText;
    const start = pending ? pending.line : i + 1;
    const trimmed = joined.replace(/\s+$/, '');
    if (trimmed.endsWith('\\') && !/^\s*#/.test(joined)) {
      pending = { text: `${trimmed.slice(0, -1)} `, line: start };
      return;
    }
    pending = undefined;
    out.push({ text: joined, line: start });
  });
  if (pending) out.push(pending);
  return out;
}

/** Parses the text of one rc file. */
export function parseRcText(text: string): RcReadResult {
  const assignments: RcAssignment[] = [];
  const problems: RcProblem[] = [];
  const seen = new Map<string, number>();
  let hasMarker = false;

  for (const { text: lineText, line } of logicalLines(text)) {
    if (MARKER.test(lineText)) hasMarker = true;
    if (/^\s*(#|$)/.test(lineText)) continue;
    const m = /^\s*(\S+)(?:\s+(.*?))?\s*$/.exec(lineText)!;
    const key = m[1]!;
    const value = m[2] ?? '';
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({
        severity: 'warning',
        line,
        key,
        message: `${key} is already set on line ${first}; authlib uses the first one and ignores this`,
      });
      continue;
    }
    seen.set(key, line);
    assignments.push({ key, value, line });
  }
  if (!hasMarker) {
    problems.push({
      severity: 'error',
      message: "no '##NAME: ...:' marker line: authlib refuses to load a module whose config file lacks one",
    });
  }
  return { assignments, problems, hasMarker };
}
