/**
 * Courier pop3d's wrapper for a message with raw UTF-8 headers, sent to a client that did not
 * enable UTF8: a multipart/mixed with an explanation and the original as `message/global`
 * (MIMEWRAPTXT in pop3dserver.c). Returned in CRLF form.
 */
export interface UnicodeWrapper {
  readonly header: Buffer;
  readonly footer: Buffer;
}

export function unicodeWrapper(boundary: string, messageType: string): UnicodeWrapper {
  const header =
    'From: Mail Delivery Subsystem <postmaster>\n' +
    'Subject: Cannot display Unicode content\n' +
    'Mime-Version: 1.0\n' +
    `Content-Type: multipart/mixed; boundary="${boundary}"\n` +
    `\n\n\n--${boundary}\n` +
    'Content-Type: text/plain\n\n' +
    'This E-mail message was determined to be Unicode-formatted\n' +
    'but your E-mail reader does not support Unicode E-mail.\n\n' +
    'Please use an E-mail reader that supports POP3 with UTF-8\n' +
    '(see https://tools.ietf.org/html/rfc6856.html).\n\n' +
    "This can also happen when the sender's E-mail program does not\n" +
    'correctly format the sent message.\n\n' +
    'The original message is included as a separate attachment\n' +
    'so that it can be downloaded manually.\n\n' +
    `--${boundary}\n` +
    `Content-Type: ${messageType}\n\n`;
  const footer = `\n--${boundary}--\n`;
  const crlf = (s: string): Buffer => Buffer.from(s.replace(/\n/g, '\r\n'), 'latin1');
  return { header: crlf(header), footer: crlf(footer) };
}

/** Courier's boundary: `=_<pid>-<unix time>`. */
export function wrapperBoundary(pid: number, nowMs: number): string {
  return `=_${pid}-${Math.floor(nowMs / 1000)}`;
}
