// Driver for the real Courier binaries (pre-authenticated imapd / courierpop3d on stdin/stdout,
// maildirmake). Tests skip with a message when Courier is not installed.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export const COURIER_IMAPD = '/usr/bin/imapd';
export const COURIER_POP3D = '/usr/lib/courier/courier/courierpop3d';
export const COURIER_MAILDIRMAKE = '/usr/bin/maildirmake';

/** undefined when everything is there, else the reason to skip. */
export function courierMissing(): string | undefined {
  for (const p of [COURIER_IMAPD, COURIER_POP3D, COURIER_MAILDIRMAKE]) {
    if (!existsSync(p))
      return `real Courier not installed (${p} missing): apt-get install courier-imap courier-pop`;
  }
  return undefined;
}

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
}

export function run(
  cmd: string,
  args: readonly string[],
  input: string,
  env: NodeJS.ProcessEnv,
  cwd?: string,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.stdin.on('error', () => {}); // programs that never read stdin
    child.on('close', (code) =>
      resolve({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        code,
      }),
    );
    child.stdin.end(input);
  });
}

const BASE_ENV = {
  PATH: '/usr/bin:/bin',
  AUTHENTICATED: 'tester',
  HOSTNAME: 'courier.test',
  TCPREMOTEIP: '127.0.0.1',
};

/** Runs Courier's imapd on `maildir` with the given command lines (tags added: c1, c2, ...). */
export async function courierImap(maildir: string, commands: readonly string[]): Promise<string> {
  const script = [...commands, 'LOGOUT'].map((c, i) => `c${i + 1} ${c}\r\n`).join('');
  const r = await run(COURIER_IMAPD, [maildir], script, { ...BASE_ENV, IMAP_KEYWORDS: '1' });
  return r.stdout;
}

/** Runs Courier's imapd with a raw script (literals included); LOGOUT is appended. */
export async function courierImapRaw(maildir: string, script: string): Promise<string> {
  const r = await run(COURIER_IMAPD, [maildir], `${script}z LOGOUT\r\n`, { ...BASE_ENV, IMAP_KEYWORDS: '1' });
  return r.stdout;
}

/** APPEND commands with literals, for courierImapRaw. */
export function appendScript(count: number, tag: string): string {
  let s = '';
  for (let i = 0; i < count; i++) {
    const msg = `Subject: courier append ${tag} ${i}\r\n\r\nbody\r\n`;
    s += `${tag}${i} APPEND INBOX {${Buffer.byteLength(msg)}}\r\n${msg}\r\n`;
  }
  return s;
}

/** Runs courierpop3d on `maildir` (UTF8=0 like a legacy client unless told). */
export async function courierPop3(
  maildir: string,
  commands: readonly string[],
  utf8 = false,
): Promise<string> {
  const script = [...commands, 'QUIT'].map((c) => `${c}\r\n`).join('');
  const r = await run(COURIER_POP3D, [maildir], script, { ...BASE_ENV, UTF8: utf8 ? '1' : '0' });
  return r.stdout;
}

const FLAG_LETTER: Record<string, string> = {
  '\\Seen': 'S',
  '\\Answered': 'R',
  '\\Flagged': 'F',
  '\\Deleted': 'T',
  '\\Draft': 'D',
};

export interface CourierMessageView {
  readonly uid: number;
  readonly flags: string;
  readonly keywords: string;
  readonly size: number;
}

/** Parses `* n FETCH (UID u FLAGS (...) RFC822.SIZE s)` lines into a comparable view. */
export function parseFetch(output: string): CourierMessageView[] {
  const out: CourierMessageView[] = [];
  for (const line of output.split('\r\n')) {
    const m = /^\* \d+ FETCH \(UID (\d+) FLAGS \(([^)]*)\) RFC822\.SIZE (\d+)\)$/.exec(line);
    if (!m) continue;
    const items = m[2]!.split(' ').filter((x) => x !== '' && x !== '\\Recent');
    const flags = items
      .filter((x) => x.startsWith('\\'))
      .map((x) => FLAG_LETTER[x] ?? '?')
      .sort()
      .join('');
    const keywords = items
      .filter((x) => !x.startsWith('\\'))
      .sort()
      .join(',');
    out.push({ uid: Number(m[1]), flags, keywords, size: Number(m[3]) });
  }
  return out;
}

export function parseUidValidity(output: string): number | undefined {
  const m = /\[UIDVALIDITY (\d+)\]/.exec(output);
  return m ? Number(m[1]) : undefined;
}
