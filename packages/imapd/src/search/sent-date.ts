/** RFC 2822 Date: header parsing (obsolete forms included) for SENT* and SORT/THREAD dates. */

export interface SentDate {
  /** The instant (time zone applied): SORT DATE and THREAD order by it. */
  readonly epochMs: number;
  /** The calendar day as written, ignoring time and zone: SENTBEFORE/SENTON/SENTSINCE compare it. */
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const ZONES: Record<string, number> = {
  UT: 0,
  UTC: 0,
  GMT: 0,
  Z: 0,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
};

const DATE_RE =
  /^\s*(?:[A-Za-z]{2,}\s*,?\s*)?(\d{1,2})\s*[- ]?\s*([A-Za-z]{3})[A-Za-z]*\s*[- ]?\s*(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{4}|[A-Za-z]{1,5})?/;

export function parseSentDate(value: string): SentDate | undefined {
  const text = value.replace(/\([^)]*\)/g, ' ');
  const m = DATE_RE.exec(text);
  if (!m) return undefined;
  const day = Number(m[1]);
  const month = MONTHS.indexOf(m[2]!.toLowerCase()) + 1;
  if (month === 0 || day < 1 || day > 31) return undefined;
  let year = Number(m[3]);
  if (m[3]!.length === 2) year += year < 50 ? 2000 : 1900;
  else if (m[3]!.length === 3) year += 1900;
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  let zone = 0;
  const z = m[7];
  if (z !== undefined) {
    if (/^[+-]\d{4}$/.test(z)) {
      const sign = z[0] === '-' ? -1 : 1;
      zone = sign * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5)));
    } else {
      zone = ZONES[z.toUpperCase()] ?? 0;
    }
  }
  const epochMs = Date.UTC(year, month - 1, day, hour, minute, second) - zone * 60_000;
  return { epochMs, year, month, day };
}

/** Compares two calendar days: negative, zero or positive. */
export function compareDays(
  a: { year: number; month: number; day: number },
  b: { year: number; month: number; day: number },
): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}
