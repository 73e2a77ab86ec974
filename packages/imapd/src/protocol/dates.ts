import { ImapSyntaxError } from './errors.js';

export const MONTHS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
] as const;

/** A calendar day as in SEARCH SINCE/BEFORE/ON (`1-Jan-2024`); no time zone. */
export interface ImapDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** An APPEND / INTERNALDATE date-time: the instant plus the zone it was written in. */
export interface ImapDateTime {
  readonly date: Date;
  /** Zone offset east of UTC in minutes (`+0130` → 90). */
  readonly zoneMinutes: number;
}

const DATE = /^([0-9]{1,2})-([A-Za-z]{3})-([0-9]{4})$/;
const DATE_TIME =
  /^([ 0-9]?[0-9])-([A-Za-z]{3})-([0-9]{4}) ([0-9]{2}):([0-9]{2}):([0-9]{2}) ([+-])([0-9]{2})([0-9]{2})$/;

function monthIndex(name: string): number {
  const i = MONTHS.findIndex((m) => m.toLowerCase() === name.toLowerCase());
  return i + 1;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Parses `date-text` (`1-Jan-2024`, `01-jan-2024`). Returns null when invalid. */
export function parseImapDate(text: string): ImapDate | null {
  const m = DATE.exec(text);
  if (m === null) return null;
  const day = Number(m[1]);
  const month = monthIndex(m[2]!);
  const year = Number(m[3]);
  if (month === 0 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

/** Parses `"dd-Mon-yyyy hh:mm:ss +zzzz"` (without the quotes). Throws ImapSyntaxError. */
export function parseImapDateTime(text: string): ImapDateTime {
  const m = DATE_TIME.exec(text);
  if (m === null) throw new ImapSyntaxError(`invalid date-time: ${text}`);
  const day = Number(m[1]!.trim());
  const month = monthIndex(m[2]!);
  const year = Number(m[3]);
  const [hh, mm, ss] = [Number(m[4]), Number(m[5]), Number(m[6])];
  const zh = Number(m[8]);
  const zm = Number(m[9]);
  if (month === 0 || day < 1 || day > daysInMonth(year, month) || hh > 23 || mm > 59 || ss > 60 || zm > 59) {
    throw new ImapSyntaxError(`invalid date-time: ${text}`);
  }
  const zoneMinutes = (m[7] === '-' ? -1 : 1) * (zh * 60 + zm);
  const utc = Date.UTC(year, month - 1, day, hh, mm, ss) - zoneMinutes * 60_000;
  return { date: new Date(utc), zoneMinutes };
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Formats as Courier prints INTERNALDATE: `01-Jan-2024 10:00:00 +0000` (unquoted). */
export function formatImapDateTime(date: Date, zoneMinutes: number): string {
  const t = new Date(date.getTime() + zoneMinutes * 60_000);
  const sign = zoneMinutes < 0 ? '-' : '+';
  const z = Math.abs(zoneMinutes);
  return (
    `${pad2(t.getUTCDate())}-${MONTHS[t.getUTCMonth()]}-${t.getUTCFullYear()} ` +
    `${pad2(t.getUTCHours())}:${pad2(t.getUTCMinutes())}:${pad2(t.getUTCSeconds())} ` +
    `${sign}${pad2(Math.floor(z / 60))}${pad2(z % 60)}`
  );
}
