import { readFile } from 'node:fs/promises';

export interface PasswdEntry {
  readonly name: string;
  readonly passwd: string;
  readonly uid: number;
  readonly gid: number;
  readonly gecos: string;
  readonly home: string;
  readonly shell: string;
}

export interface ShadowEntry {
  readonly name: string;
  readonly passwd: string;
  /** Days since the epoch, or -1 when empty. */
  readonly lastChange: number;
  readonly max: number;
  readonly expire: number;
}

export const DEFAULT_PASSWD_FILE = '/etc/passwd';
export const DEFAULT_SHADOW_FILE = '/etc/shadow';

function num(s: string | undefined): number {
  if (s === undefined || s === '') return -1;
  const n = Number.parseInt(s, 10);
  return Number.isFinite(n) ? n : -1;
}

export function parsePasswd(text: string): PasswdEntry[] {
  const out: PasswdEntry[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#') || line.startsWith('+') || line.startsWith('-')) continue;
    const f = line.split(':');
    if (f.length < 7 || !/^\d+$/.test(f[2]!) || !/^\d+$/.test(f[3]!)) continue;
    out.push({
      name: f[0]!,
      passwd: f[1]!,
      uid: Number(f[2]),
      gid: Number(f[3]),
      gecos: f[4]!,
      home: f[5]!,
      shell: f.slice(6).join(':'),
    });
  }
  return out;
}

export function parseShadow(text: string): ShadowEntry[] {
  const out: ShadowEntry[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const f = line.split(':');
    if (f.length < 2) continue;
    out.push({ name: f[0]!, passwd: f[1]!, lastChange: num(f[2]), max: num(f[4]), expire: num(f[7]) });
  }
  return out;
}

/**
 * authshadow's rule: refuse when the account has expired (`sp_expire > 0 && today > sp_expire`) or the
 * password has aged out (`sp_lstchg != -1 && sp_max != -1 && sp_lstchg + sp_max < today`),
 * today = time/86400.
 */
export function shadowExpired(e: ShadowEntry, nowMs: number): boolean {
  const today = Math.floor(nowMs / 1000 / 86400);
  if (e.expire > 0 && today > e.expire) return true;
  if (e.lastChange !== -1 && e.max !== -1 && e.lastChange + e.max < today) return true;
  return false;
}

/** NAME= is the gecos field up to the first comma. */
export function gecosName(gecos: string): string | undefined {
  const n = gecos.split(',')[0]!;
  return n === '' ? undefined : n;
}

export interface SystemFiles {
  readonly passwdFile: string;
  readonly shadowFile: string;
  readonly now?: () => number;
}

export async function getpwnam(files: SystemFiles, name: string): Promise<PasswdEntry | undefined> {
  return parsePasswd(await readFile(files.passwdFile, 'utf8')).find((e) => e.name === name);
}

export async function getspnam(files: SystemFiles, name: string): Promise<ShadowEntry | undefined> {
  return parseShadow(await readFile(files.shadowFile, 'utf8')).find((e) => e.name === name);
}

export async function getpwentAll(files: SystemFiles): Promise<PasswdEntry[]> {
  return parsePasswd(await readFile(files.passwdFile, 'utf8'));
}
