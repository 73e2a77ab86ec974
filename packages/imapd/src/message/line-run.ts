/**
 * A run of body lines for MimeScanner: most lines of a message body cannot be boundaries (they do
 * not start with `--`), so they are only counted, many at a time. The maildir package's native
 * addon does it with one memchr() per line (`mimeLines`); this is the same in JavaScript, for
 * when the addon is not built, with identical results (tested against each other).
 *
 * From `start`, every line of `buf` ended by an LF is counted: the first one whatever it holds,
 * the next ones while they do not start with `--`. Returns the number of lines; `out[0]` = where
 * the run stops (the start of a `--` line, or of the unfinished tail), `out[1]` = CRs the served
 * form adds for them (one per LF; with `normalize`, only for LFs without a CR before them),
 * `out[2]`/`out[3]` = start and LF of the run's last line (both `start` when no line was counted).
 */
export type LineRun = (buf: Buffer, start: number, normalize: boolean, out: Int32Array) => number;

const LF = 0x0a;
const CR = 0x0d;
const DASH = 0x2d;

export const jsLineRun: LineRun = (buf, start, normalize, out) => {
  const n = buf.length;
  let s = start;
  let lines = 0;
  let crs = 0;
  let ls = start;
  let le = start;
  while (s < n) {
    const i = buf.indexOf(LF, s);
    if (i === -1) break;
    ls = s;
    le = i;
    lines++;
    if (!normalize || i === s || buf[i - 1] !== CR) crs++;
    s = i + 1;
    if (s + 1 < n && buf[s] === DASH && buf[s + 1] === DASH) break;
  }
  out[0] = s;
  out[1] = crs;
  out[2] = ls;
  out[3] = le;
  return lines;
};

/** The addon's call as a LineRun, or undefined when the addon (or that call) is not there. */
export function nativeLineRun(
  addon: { mimeLines?(buf: Buffer, start: number, normalize: boolean, out: Int32Array): number } | undefined,
): LineRun | undefined {
  const f = addon?.mimeLines;
  return f === undefined ? undefined : (buf, start, normalize, out) => f(buf, start, normalize, out);
}
