/** Byte values of the IMAP grammar (RFC 3501 section 9). */
export const SP = 0x20;
export const CR = 0x0d;
export const LF = 0x0a;
export const DQUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const LPAREN = 0x28;
export const RPAREN = 0x29;
export const LBRACE = 0x7b;
export const RBRACE = 0x7d;
export const LBRACKET = 0x5b;
export const RBRACKET = 0x5d;
export const PLUS = 0x2b;
export const TILDE = 0x7e;

/** CTL per RFC 3501 (%x00-1F / %x7F). */
export function isCtl(b: number): boolean {
  return b < 0x20 || b === 0x7f;
}

export function isDigit(b: number): boolean {
  return b >= 0x30 && b <= 0x39;
}
