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

/** strtok's separators: space, TAB, CR. */
function isSep(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d;
}

/** Parse one line (without its LF). Bytes are read as UTF-8 (user names and passwords may be UTF-8). */
export function parseCommandLine(line: Buffer): CommandLine {
  // toString() without arguments is UTF-8 (Node's shortest path: no encoding lookup).
  const text = line.toString();
  const n = text.length;
  let i = 0;
  while (i < n && isSep(text.charCodeAt(i))) i++;
  let j = i;
  while (j < n && !isSep(text.charCodeAt(j))) j++;
  const verb = text.slice(i, j).toUpperCase();
  if (j >= n) return { verb, args: [], rest: undefined };
  // rest: after the verb's separator, up to a CR (or LF)
  let e = j + 1;
  while (e < n && text.charCodeAt(e) !== 0x0d && text.charCodeAt(e) !== 0x0a) e++;
  const args: string[] = [];
  for (let k = j + 1; k < n; ) {
    while (k < n && isSep(text.charCodeAt(k))) k++;
    const s = k;
    while (k < n && !isSep(text.charCodeAt(k))) k++;
    if (k > s) args.push(text.slice(s, k));
  }
  return { verb, args, rest: e === j + 1 ? undefined : text.slice(j + 1, e) };
}

/** atoi's digits: optional blanks and `+`, then at least one digit; undefined when none. */
function leadingNumber(arg: string): number | undefined {
  let i = 0;
  while (i < arg.length && (arg.charCodeAt(i) === 0x20 || arg.charCodeAt(i) === 0x09)) i++;
  if (arg.charCodeAt(i) === 0x2b) i++;
  const s = i;
  while (i < arg.length && arg.charCodeAt(i) >= 0x30 && arg.charCodeAt(i) <= 0x39) i++;
  return i === s ? undefined : Number(arg.slice(s, i));
}

/**
 * A message number as Courier reads it (atoi): leading digits only; 0, garbage, negative or
 * out-of-range numbers are all invalid (returned as 0).
 */
export function parseMessageNumber(arg: string | undefined): number {
  if (arg === undefined) return 0;
  const n = leadingNumber(arg);
  return n !== undefined && Number.isSafeInteger(n) ? n : 0;
}

/** TOP's line count (atoi: garbage = 0, negative = 0). */
export function parseLineCount(arg: string): number {
  const n = leadingNumber(arg);
  if (n === undefined) return 0;
  return Number.isSafeInteger(n) ? n : Number.MAX_SAFE_INTEGER;
}
