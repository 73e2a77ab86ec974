/** LIST/LSUB patterns: reference + pattern, `*` (anything) and `%` (anything but the `.` delimiter). */

/** RegExp for a combined pattern; the INBOX prefix matches in any case. */
export function listMatcher(reference: string, pattern: string): RegExp {
  let full = pattern;
  if (reference !== '' && !pattern.startsWith('INBOX') && !/^inbox/i.test(pattern)) {
    full =
      reference.endsWith('.') || pattern.startsWith('.') ? reference + pattern : `${reference}${pattern}`;
  }
  let inboxPrefix = '';
  if (/^inbox(?=$|\.)/i.test(full)) {
    inboxPrefix = 'INBOX';
    full = full.slice(5);
  }
  let re = '';
  for (const ch of full) {
    if (ch === '*') re += '.*';
    else if (ch === '%') re += '[^.]*';
    else re += ch.replace(/[\\^$.+?()[\]{}|]/g, '\\$&');
  }
  return new RegExp(`^${inboxPrefix ? '(?:INBOX)' : ''}${re}$`, 'su');
}

/** Name with the INBOX prefix upper-cased, for matching. */
export function canonicalInbox(name: string): string {
  if (/^inbox(?=$|\.)/i.test(name)) return `INBOX${name.slice(5)}`;
  return name;
}
