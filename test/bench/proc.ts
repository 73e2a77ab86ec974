// Process trees and their memory, from /proc: RSS (VmRSS) and PSS (smaps_rollup, shared pages split
// among the processes that map them, which is the fair figure for servers that fork per connection).
import { readdir, readFile } from 'node:fs/promises';

export interface TreeMemory {
  readonly processes: number;
  /** Sum of VmRSS, KiB. */
  readonly rssKb: number;
  /** Sum of Pss, KiB (falls back to RSS where smaps_rollup is not readable). */
  readonly pssKb: number;
}

async function parentMap(): Promise<Map<number, number[]>> {
  const kids = new Map<number, number[]>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = await readFile(`/proc/${name}/stat`, 'latin1');
    } catch {
      continue;
    }
    const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (after[0] === 'Z') continue;
    const ppid = Number(after[1]);
    const list = kids.get(ppid) ?? [];
    list.push(Number(name));
    kids.set(ppid, list);
  }
  return kids;
}

/** The live processes of the trees rooted at `roots` (roots included). */
export async function processTree(roots: readonly number[]): Promise<number[]> {
  const kids = await parentMap();
  const out: number[] = [];
  const seen = new Set<number>();
  const walk = (p: number): void => {
    if (seen.has(p)) return;
    seen.add(p);
    out.push(p);
    for (const k of kids.get(p) ?? []) walk(k);
  };
  for (const r of roots) walk(r);
  return out;
}

function kbField(text: string, field: string): number | undefined {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}

/** RSS and PSS of every live process in the trees (processes that vanish meanwhile are skipped). */
export async function treeMemory(roots: readonly number[]): Promise<TreeMemory> {
  let rssKb = 0;
  let pssKb = 0;
  let processes = 0;
  for (const pid of await processTree(roots)) {
    let status: string;
    try {
      status = await readFile(`/proc/${pid}/status`, 'latin1');
    } catch {
      continue;
    }
    const rss = kbField(status, 'VmRSS');
    if (rss === undefined) continue; // kernel thread or gone
    processes++;
    rssKb += rss;
    let pss = rss;
    try {
      pss = kbField(await readFile(`/proc/${pid}/smaps_rollup`, 'latin1'), 'Pss') ?? rss;
    } catch {
      // not permitted or gone: RSS is the upper bound
    }
    pssKb += pss;
  }
  return { processes, rssKb, pssKb };
}

/** Whether `pid` is alive and its command line contains `needle`. */
export async function pidMatches(pid: number, needle: string): Promise<boolean> {
  try {
    const cmd = (await readFile(`/proc/${pid}/cmdline`, 'latin1')).split('\0').join(' ');
    return cmd.includes(needle);
  } catch {
    return false;
  }
}
