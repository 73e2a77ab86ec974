/** Courier's unique names: `<sec>.M<usec>P<pid>[V<DEV>I<INO>][_<uniq>].<host>[,S=<size>]`. */
import { hostname as osHostname } from 'node:os';

export interface UniqueParts {
  readonly sec: number;
  readonly usec: number;
  readonly pid: number;
  readonly uniq: string;
  readonly host: string;
}

/** Host part: `$HOSTNAME`, else gethostname(); `/` and `:` cannot appear in a file name. */
export function resolveHostname(explicit?: string): string {
  const h = explicit || process.env.HOSTNAME || osHostname() || 'localhost';
  return h.replace(/\//g, '\\057').replace(/:/g, '\\072');
}

export function timeParts(nowMs: number): { sec: number; usec: number } {
  const sec = Math.floor(nowMs / 1000);
  const usec = Math.min(999999, Math.max(0, Math.floor((nowMs - sec * 1000) * 1000)));
  return { sec, usec };
}

function hex16(n: bigint): string {
  return n.toString(16).toUpperCase().padStart(16, '0');
}

/** Name of a file in tmp/ (no V/I part, as maildir_tmpcreate_fd). */
export function tmpName(p: UniqueParts, size?: number): string {
  const uniq = p.uniq ? `_${p.uniq}` : '';
  const s = size !== undefined && size > 0 ? `,S=${size}` : '';
  return `${p.sec}.M${p.usec}P${p.pid}${uniq}.${p.host}${s}`;
}

/** Name in new/ or cur/ (without `:2,`), with the tmp file's device and inode. */
export function deliveredName(p: UniqueParts, dev: bigint, ino: bigint, size?: number): string {
  const uniq = p.uniq ? `_${p.uniq}` : '';
  const s = size !== undefined && size > 0 ? `,S=${size}` : '';
  return `${p.sec}.M${p.usec}P${p.pid}V${hex16(dev)}I${hex16(ino)}${uniq}.${p.host}${s}`;
}
