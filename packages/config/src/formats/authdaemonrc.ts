/**
 * authdaemond's own reading of authdaemonrc (courier-formats.md §3.1). The file is also sourced by sh,
 * which is how most keys reach the daemon (as environment); the daemon itself parses only
 * `authmodulelist` and `daemons`, with a simpler line parser:
 * `#` starts a comment anywhere on the line; `name=value` with no space before `=`; whitespace after `=`
 * is skipped; a value starting with `"` runs to the next `"`; other values run to the end of the line;
 * a non-blank line without `=` makes the daemon refuse to start. No `$VAR` expansion, no single quotes,
 * no backslash escapes.
 */

export interface AuthdaemondLine {
  readonly name: string;
  readonly value: string;
  readonly line: number;
}

export interface AuthdaemondView {
  readonly lines: readonly AuthdaemondLine[];
  /** Lines without `=` (1-based numbers): fatal for authdaemond. */
  readonly badLines: readonly number[];
}

/** The keys authdaemond reads from the file itself (everything else it takes from the environment). */
export const AUTHDAEMOND_OWN_KEYS: readonly string[] = ['authmodulelist', 'daemons'];

export function readAuthdaemondView(text: string): AuthdaemondView {
  const lines: AuthdaemondLine[] = [];
  const badLines: number[] = [];
  text.split('\n').forEach((raw, i) => {
    const hash = raw.indexOf('#');
    const content = (hash >= 0 ? raw.slice(0, hash) : raw).trim();
    if (content === '') return;
    const eq = content.indexOf('=');
    if (eq < 0) {
      badLines.push(i + 1);
      return;
    }
    const name = content.slice(0, eq);
    let rest = content.slice(eq + 1).replace(/^\s+/, '');
    if (rest.startsWith('"')) {
      const close = rest.indexOf('"', 1);
      rest = close < 0 ? rest.slice(1) : rest.slice(1, close);
    }
    lines.push({ name, value: rest, line: i + 1 });
  });
  return { lines, badLines };
}
