/** RFC 5256 section 2.1: the base subject, and whether the subject marked a reply or forward. */

export interface BaseSubject {
  /** Base subject, white space normalised (case kept; compare with `sortText`). */
  readonly base: string;
  /** Steps 2-5 removed a `Re:`/`Fw:`/`Fwd:` leader, a `(fwd)` trailer or a `[fwd: ...]` wrapper. */
  readonly isReplyOrForward: boolean;
}

const BLOB = '\\[[^[\\]]*\\] *';
const LEADER = new RegExp(`^(?:${BLOB})*(?:re|fwd?) *(?:${BLOB})?:`, 'i');
const LEADING_BLOB = new RegExp(`^${BLOB}`);

/** `subject` is the decoded Subject (encoded words already converted to Unicode). */
export function baseSubject(subject: string): BaseSubject {
  // (1) tabs and continuations to spaces, runs of spaces to one.
  let s = subject.replace(/[\t\r\n]+/g, ' ').replace(/ {2,}/g, ' ');
  let reply = false;
  for (;;) {
    // (2) trailers: `(fwd)` and white space, repeatedly.
    for (;;) {
      if (s.endsWith(' ')) s = s.trimEnd();
      else if (s.toLowerCase().endsWith('(fwd)')) {
        s = s.slice(0, -5);
        reply = true;
      } else break;
    }
    // (3) leaders, (4) a leading blob if something remains; until nothing changes.
    for (;;) {
      const before = s;
      for (;;) {
        if (s.startsWith(' ')) {
          s = s.trimStart();
          continue;
        }
        const m = LEADER.exec(s);
        if (m) {
          s = s.slice(m[0].length);
          reply = true;
          continue;
        }
        break;
      }
      const b = LEADING_BLOB.exec(s);
      if (b && s.length > b[0].length) s = s.slice(b[0].length);
      if (s === before) break;
    }
    // (5) `[fwd: ... ]`: unwrap and start again at (2).
    if (s.length >= 6 && s.slice(0, 5).toLowerCase() === '[fwd:' && s.endsWith(']')) {
      s = s.slice(5, -1);
      reply = true;
      continue;
    }
    return { base: s, isReplyOrForward: reply };
  }
}

/** i;ascii-casemap: ASCII letters upper-cased, everything else compared as is. */
export function sortText(s: string): string {
  return s.replace(/[a-z]+/g, (m) => m.toUpperCase());
}

/** Octet order of the UTF-8 forms as i;ascii-casemap compares (UTF-16 order: equal outside astral planes). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
