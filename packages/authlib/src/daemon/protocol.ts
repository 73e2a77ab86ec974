import type { AuthAccount, Credentials } from '../types.js';

/** Maximum request line (authdaemond's buffer) and AUTH payload size. */
export const MAX_LINE = 8190;
export const MAX_AUTH_BYTES = 8192;

/** Reply keys in the order authdaemond writes them. */
export const REPLY_KEYS = [
  'USERNAME',
  'UID',
  'GID',
  'HOME',
  'ADDRESS',
  'NAME',
  'MAILDIR',
  'QUOTA',
  'PASSWD',
  'PASSWD2',
  'OPTIONS',
] as const;
export type ReplyKey = (typeof REPLY_KEYS)[number];
export type ReplyFields = ReadonlyMap<ReplyKey, string>;

/** An account as authdaemond's reply fields (each only when present). */
export function accountToReplyFields(a: AuthAccount): Map<ReplyKey, string> {
  const m = new Map<ReplyKey, string>();
  const set = (k: ReplyKey, v: string | undefined): void => {
    if (v !== undefined) m.set(k, v);
  };
  set('USERNAME', a.systemUser);
  if (a.systemUser === undefined) set('UID', String(a.uid));
  set('GID', String(a.gid));
  set('HOME', a.home);
  set('ADDRESS', a.address);
  set('NAME', a.fullName);
  set('MAILDIR', a.maildir);
  set('QUOTA', a.quota);
  set('PASSWD', a.encryptedPassword);
  set('PASSWD2', a.clearPassword);
  if (a.options.raw !== '') m.set('OPTIONS', a.options.raw);
  return m;
}

/** `KEY=value\n` lines then `.\n`. Values with a newline are cut there (they cannot travel). */
export function formatReply(fields: ReplyFields): string {
  let out = '';
  for (const k of REPLY_KEYS) {
    const v = fields.get(k);
    if (v !== undefined) out += `${k}=${v.split('\n')[0]}\n`;
  }
  return `${out}.\n`;
}

export type ParsedReply = { kind: 'ok'; fields: Map<ReplyKey, string> } | { kind: 'fail' } | { kind: 'eio' };

/** The client's parser: `.` = OK, `FAIL` = EPERM, anything else without a terminator = EIO. */
export function parseReply(text: string): ParsedReply {
  if (text === 'FAIL\n' || text.startsWith('FAIL\n')) return { kind: 'fail' };
  const fields = new Map<ReplyKey, string>();
  for (const line of text.split('\n')) {
    if (line === '.') return { kind: 'ok', fields };
    if (line === 'FAIL') return { kind: 'fail' };
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const k = line.slice(0, eq) as ReplyKey;
    if ((REPLY_KEYS as readonly string[]).includes(k)) fields.set(k, line.slice(eq + 1));
  }
  return { kind: 'eio' };
}

/** Whether a reply is complete (`\n.\n` seen, or the whole reply is `FAIL\n`). */
export function replyComplete(text: string): boolean {
  return text === 'FAIL\n' || text.startsWith('.\n') || text.includes('\n.\n');
}

function meta(remoteIp: string | undefined): string {
  return remoteIp ? `TCPREMOTEIP=${remoteIp}\n` : '';
}

export function buildPreRequest(module: string, service: string, userid: string, remoteIp?: string): string {
  return `${meta(remoteIp)}PRE ${module} ${service} ${userid}\n`;
}

/** authdata for a credential: `user\npassword\n`, or `b64(challenge)\nb64(user digest)\n`. */
export function encodeAuthData(c: Credentials): { authtype: string; authdata: string } {
  if (c.mechanism === 'login') return { authtype: 'login', authdata: `${c.user}\n${c.password}\n` };
  const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
  return { authtype: c.mechanism, authdata: `${b64(c.challenge)}\n${b64(`${c.user} ${c.response}`)}\n` };
}

export function buildAuthRequest(service: string, c: Credentials, remoteIp?: string): string {
  const { authtype, authdata } = encodeAuthData(c);
  const body = `${service}\n${authtype}\n${authdata}`;
  return `${meta(remoteIp)}AUTH ${Buffer.byteLength(body, 'utf8')}\n${body}`;
}

export function buildPasswdRequest(service: string, userid: string, oldpw: string, newpw: string): string {
  return `PASSWD ${service}\t${userid}\t${oldpw}\t${newpw}\n`;
}

/** Decode AUTH authdata into credentials; undefined when malformed or an unknown authtype. */
export function decodeAuthData(authtype: string, authdata: string): Credentials | undefined {
  const lines = authdata.split('\n');
  if (authtype === 'login') {
    if (lines.length < 2) return undefined;
    return { mechanism: 'login', user: lines[0]!, password: lines[1]! };
  }
  if (authtype === 'cram-md5' || authtype === 'cram-sha1' || authtype === 'cram-sha256') {
    if (lines.length < 2) return undefined;
    const challenge = Buffer.from(lines[0]!, 'base64').toString('latin1');
    const resp = Buffer.from(lines[1]!, 'base64').toString('utf8');
    const sp = resp.lastIndexOf(' ');
    if (sp <= 0) return undefined;
    return { mechanism: authtype, user: resp.slice(0, sp), challenge, response: resp.slice(sp + 1) };
  }
  return undefined;
}

/** ENUMERATE reply line: `name\tuid\tgid\thome\tmaildir\toptions\n`. */
export function formatEnumerateLine(e: {
  name: string;
  uid: number;
  gid: number;
  home: string;
  maildir?: string;
  options?: string;
}): string {
  return `${e.name}\t${e.uid}\t${e.gid}\t${e.home}\t${e.maildir ?? ''}\t${e.options ?? ''}\n`;
}
