/** Courier pop3d's reply texts, verbatim (courier-behaviour.md §5, pop3login.c, pop3dserver.c). */
export const REPLY = {
  greeting: '+OK Hello there.',
  preauthGreeting: '+OK logged in.',
  loggedIn: '+OK logged in.',
  capaHead: "+OK Here's what I can do:",
  stls: '+OK Begin SSL/TLS negotiation now.',
  tlsUnavailable: '-ERR TLS support not available.',
  tlsRequired: '-ERR TLS required to log in.',
  passwordRequired: '+OK Password required.',
  userPassRequired: '-ERR USER/PASS required.',
  loginFailed: '-ERR Login failed.',
  authFailed: '-ERR Authentication failed.',
  authAborted: '-ERR Authentication aborted.',
  tempFail: '-ERR Temporary problem, please try again later',
  loginDelay: '-ERR [LOGIN-DELAY] Too soon since the last login, try again later.',
  invalidCommand: '-ERR Invalid command.',
  invalidMessage: '-ERR Invalid message number.',
  listHead: '+OK POP3 clients that break here, they violate STD53.',
  uidlHead: '+OK',
  topHead: '+OK headers follow.',
  deleted: '+OK Deleted.',
  resurrected: '+OK Resurrected.',
  noop: '+OK Yup.',
  bye: '+OK Bye-bye.',
  byeBeforeLogin: '+OK Better luck next time.',
  utf8: '+OK UTF8 enabled',
  messageGone: "-ERR Can't open the message file - it's gone!",
  pop3Disabled: '-ERR POP3 access disabled for this account.',
  insecureDisabled: '-ERR POP3 access disabled via insecure connection.',
  maildirInvalid: "-ERR Maildir invalid (no 'cur' directory)",
  tooManyErrors: '-ERR Too many invalid commands.',
  shutdown: '-ERR Server shutting down.',
} as const;

/** `+OK 23 5769111` */
export function statReply(count: number, octets: number): string {
  return `+OK ${count} ${octets}`;
}

/** `+OK 252 octets follow.` */
export function retrReply(octets: number): string {
  return `+OK ${octets} octets follow.`;
}

/** A single-line reply with its CRLF. */
export function line(text: string): string {
  return `${text}\r\n`;
}

/** A multi-line reply: head, lines, terminating dot; all in one string for one write. */
export function multiline(head: string, lines: readonly string[]): string {
  let s = `${head}\r\n`;
  for (const l of lines) s += `${l}\r\n`;
  return `${s}.\r\n`;
}

/** Prefix an RFC 2449/3206 response code when RESP-CODES is enabled: `-ERR [AUTH] Login failed.` */
export function withCode(reply: string, code: string | undefined): string {
  if (!code) return reply;
  const sp = reply.indexOf(' ');
  return sp === -1 ? `${reply} [${code}]` : `${reply.slice(0, sp)} [${code}]${reply.slice(sp)}`;
}
