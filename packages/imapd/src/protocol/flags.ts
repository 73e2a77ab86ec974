import { ImapSyntaxError } from './errors.js';

export const SYSTEM_FLAGS = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'] as const;
export type SystemFlag = (typeof SYSTEM_FLAGS)[number];

/** Bytes that may not appear in a keyword (atom-specials, plus Courier's own list). */
const KEYWORD = /^[^\x00-\x20\x7f(){%*"\\\]]+$/;

export function isSystemFlag(flag: string): flag is SystemFlag {
  return (SYSTEM_FLAGS as readonly string[]).includes(flag);
}

/**
 * Validates one flag of STORE / APPEND: system flags come back in canonical case,
 * keywords as sent. `\Recent`, `\*` and unknown `\X` are refused (Courier: NO Error).
 */
export function parseStoreFlag(text: string): string {
  if (text.startsWith('\\')) {
    const sys = SYSTEM_FLAGS.find((f) => f.toLowerCase() === text.toLowerCase());
    if (sys === undefined) throw new ImapSyntaxError(`invalid flag: ${text}`);
    return sys;
  }
  if (!KEYWORD.test(text)) throw new ImapSyntaxError(`invalid keyword: ${text}`);
  return text;
}

export function isValidKeyword(text: string): boolean {
  return KEYWORD.test(text);
}
