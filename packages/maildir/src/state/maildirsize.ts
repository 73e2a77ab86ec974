/**
 * maildirsize (Maildir++ quota) as maildirquota.c: definition line, `%12s %12s` lines,
 * recalculation over new/ + cur/ of the root and every folder except `.Trash`,
 * messages flagged T not counted.
 */
import { appendFile, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import type { MaildirContext } from '../fs/context.js';
import { sizeFromName } from '../message/filename.js';

export const MAILDIRSIZE_FILE = 'maildirsize';
const MAX_READ = 5120;

export interface QuotaDef {
  /** 0 = no byte limit. */
  readonly bytes: number;
  /** 0 = no message limit. */
  readonly messages: number;
}

export interface MaildirsizeState {
  readonly def: QuotaDef;
  readonly bytes: number;
  readonly messages: number;
  /** Lines after the definition line. */
  readonly nlines: number;
  readonly mtimeMs: number;
  readonly recalculationNeeded: boolean;
}

/** parsequotastr: `<n>S` and `<n>C` anywhere in the string. */
export function parseQuotaString(s: string): QuotaDef {
  let bytes = 0;
  let messages = 0;
  const re = /(\d+)([A-Za-z]?)/g;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    if (m[2] === 'S') bytes = Number(m[1]);
    else if (m[2] === 'C') messages = Number(m[1]);
  }
  return { bytes, messages };
}

export function formatQuotaString(def: QuotaDef): string {
  const parts: string[] = [];
  if (def.bytes > 0) parts.push(`${def.bytes}S`);
  if (def.messages > 0) parts.push(`${def.messages}C`);
  return parts.join(',');
}

export function formatSizeLine(bytes: number, count: number): string {
  return `${String(bytes).padStart(12)} ${String(count).padStart(12)}\n`;
}

export async function readMaildirsize(root: string): Promise<MaildirsizeState | undefined> {
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(join(root, MAILDIRSIZE_FILE), 'r');
  } catch {
    return undefined;
  }
  try {
    const buf = Buffer.alloc(MAX_READ);
    let len = 0;
    while (len < MAX_READ) {
      const { bytesRead } = await fh.read(buf, len, MAX_READ - len, null);
      if (bytesRead === 0) break;
      len += bytesRead;
    }
    const st = await fh.stat();
    const text = buf.subarray(0, len).toString('latin1');
    const lines = text.split('\n');
    const def = parseQuotaString(lines[0] ?? '');
    if (len >= MAX_READ) {
      return { def, bytes: 0, messages: 0, nlines: 0, mtimeMs: st.mtimeMs, recalculationNeeded: true };
    }
    let bytes = 0;
    let messages = 0;
    let nlines = 0;
    if (lines[lines.length - 1] === '') lines.pop();
    for (const line of lines.slice(1)) {
      const m = /^\s*(-?\d+)\s*(-?\d+)?/.exec(line);
      if (m && m[2] !== undefined) {
        bytes += Number(m[1]);
        messages += Number(m[2]);
      }
      nlines++;
    }
    return {
      def,
      bytes,
      messages,
      nlines,
      mtimeMs: st.mtimeMs,
      recalculationNeeded: bytes < 0 || messages < 0,
    };
  } finally {
    await fh.close();
  }
}

/** maildirquota_countfile: not counted when the flags contain T. */
export function countsForQuota(filename: string): boolean {
  const i = filename.indexOf(':2,');
  if (i < 0) return true;
  for (const ch of filename.slice(i + 3)) {
    if (ch < 'A' || ch > 'Z') break;
    if (ch === 'T') return false;
  }
  return true;
}

async function countDir(dir: string, acc: { bytes: number; count: number; maxMtime: number }): Promise<void> {
  let st: Awaited<ReturnType<typeof stat>>;
  try {
    st = await stat(dir);
  } catch {
    return;
  }
  acc.maxMtime = Math.max(acc.maxMtime, Math.floor(st.mtimeMs / 1000));
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const n of names) {
    if (n.startsWith('.') || !countsForQuota(n)) continue;
    let size = sizeFromName(n.split(':')[0]!);
    if (size === undefined) {
      try {
        size = (await stat(join(dir, n))).size;
      } catch {
        continue;
      }
    }
    acc.bytes += size;
    acc.count++;
  }
}

async function folderDirs(root: string, trash: string): Promise<string[]> {
  const dirs = [root];
  for (const e of await readdir(root, { withFileTypes: true }).catch(() => [])) {
    if (!e.name.startsWith('.') || e.name === '.' || e.name === '..' || e.isSymbolicLink()) continue;
    if (e.name === `.${trash}` || !e.isDirectory()) continue;
    dirs.push(join(root, e.name));
  }
  return dirs;
}

async function maxDirMtime(dirs: readonly string[]): Promise<number> {
  let max = 0;
  for (const d of dirs) {
    for (const sub of ['cur', 'new']) {
      const st = await stat(join(d, sub)).catch(() => undefined);
      if (st) max = Math.max(max, Math.floor(st.mtimeMs / 1000));
    }
  }
  return max;
}

/** Recounts and rewrites maildirsize (tmp/<t>.<pid>_NeWmAiLdIrSiZe.<host> + rename); retries on races. */
export async function recalculateMaildirsize(
  ctx: MaildirContext,
  root: string,
  def: QuotaDef,
): Promise<{ bytes: number; messages: number }> {
  let last = { bytes: 0, messages: 0 };
  for (let attempt = 0; attempt < 5; attempt++) {
    const dirs = await folderDirs(root, 'Trash');
    const acc = { bytes: 0, count: 0, maxMtime: 0 };
    for (const d of dirs) {
      await countDir(join(d, 'new'), acc);
      await countDir(join(d, 'cur'), acc);
    }
    const t = Math.floor(ctx.clock.now() / 1000);
    const tmp = join(root, 'tmp', `${t}.${process.pid}_NeWmAiLdIrSiZe.${osHostname()}`);
    const fh = await open(tmp, 'a', 0o644);
    try {
      await fh.writeFile(`${formatQuotaString(def)}\n${formatSizeLine(acc.bytes, acc.count)}`);
    } finally {
      await fh.close();
    }
    try {
      await rename(tmp, join(root, MAILDIRSIZE_FILE));
    } catch (err) {
      await unlink(tmp).catch(() => {});
      throw err;
    }
    last = { bytes: acc.bytes, messages: acc.count };
    if ((await maxDirMtime(dirs)) === acc.maxMtime) return last;
  }
  return last;
}

function over(used: number, limit: number): boolean {
  return limit > 0 && used > limit;
}

/**
 * docheckquota: true when adding (bytes, count) stays within quota (or there is no quota).
 * Recalculates when the file says so, or when over quota and the cached total may be stale.
 */
export async function checkQuota(
  ctx: MaildirContext,
  root: string,
  addBytes: number,
  addCount: number,
  override?: QuotaDef,
): Promise<boolean> {
  let state = await readMaildirsize(root);
  if (!state) {
    if (!override || (override.bytes === 0 && override.messages === 0)) return true;
    const r = await recalculateMaildirsize(ctx, root, override);
    return !over(r.bytes + addBytes, override.bytes) && !over(r.messages + addCount, override.messages);
  }
  let def = state.def;
  let recalc = state.recalculationNeeded;
  if (override && (override.bytes > 0 || override.messages > 0)) {
    if (override.bytes !== def.bytes || override.messages !== def.messages) recalc = true;
    def = override;
  }
  if (!recalc && !over(state.bytes + addBytes, def.bytes) && !over(state.messages + addCount, def.messages))
    return true;
  if (!recalc && state.nlines === 1 && ctx.clock.now() < state.mtimeMs + 15 * 60 * 1000) return false;
  const r = await recalculateMaildirsize(ctx, root, def);
  state = undefined;
  return !over(r.bytes + addBytes, def.bytes) && !over(r.messages + addCount, def.messages);
}

/** maildir_addquota / maildir_quota_deleted: append a line when maildirsize exists. */
export async function addQuotaLine(root: string, bytes: number, count: number): Promise<void> {
  if (bytes === 0 && count === 0) return;
  const path = join(root, MAILDIRSIZE_FILE);
  try {
    await stat(path);
  } catch {
    return;
  }
  await appendFile(path, formatSizeLine(bytes, count));
}
