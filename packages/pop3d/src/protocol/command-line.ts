/** A POP3 command line split the way Courier's strtok() calls see it. */
export interface CommandLine {
  /** First token, upper-cased ('' for an empty or blank line). */
  readonly verb: string;
  /** Following tokens (split on space, TAB, CR). */
  readonly args: readonly string[];
  /**
   * Everything after the verb's separator up to CR/LF (USER and PASS take it whole, spaces
   * included); undefined when empty.
   */
  readonly rest: string | undefined;
}

const SEP = /[ \t\r]/;

/** Parse one line (without its LF). Bytes are read as UTF-8 (user names and passwords may be UTF-8). */
export function parseCommandLine(line: Buffer): CommandLine {
  const text = line.toString('utf8');
  let i = 0;
  while (i < text.length && SEP.test(text[i]!)) i++;
  let j = i;
  while (j < text.length && !SEP.test(text[j]!)) j++;
  const verb = text.slice(i, j).toUpperCase();
  const after = j < text.length ? text.slice(j + 1) : '';
  const cr = after.search(/[\r\n]/);
  const restText = cr === -1 ? after : after.slice(0, cr);
  const args = after.split(/[ \t\r]+/).filter((a) => a !== '');
  return { verb, args, rest: restText === '' ? undefined : restText };
}

/**
 * A message number as Courier reads it (atoi): leading digits only; 0, garbage, negative or
 * out-of-range numbers are all invalid (returned as 0).
 */
export function parseMessageNumber(arg: string | undefined): number {
  if (arg === undefined) return 0;
  const m = /^[ \t]*\+?(\d+)/.exec(arg);
  if (!m) return 0;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) ? n : 0;
}

/** TOP's line count (atoi: garbage = 0, negative = 0). */
export function parseLineCount(arg: string): number {
  const m = /^[ \t]*\+?(\d+)/.exec(arg);
  if (!m) return 0;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) ? n : Number.MAX_SAFE_INTEGER;
}
