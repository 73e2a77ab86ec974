// The search family on the bench INBOX, one command at a time as a normal client sends them:
// SEARCH TEXT <rare word>, SEARCH FROM <name>, SORT (DATE) UTF-8 ALL, THREAD REFERENCES UTF-8 ALL,
// each cold (the first time this server runs it) and warm (again, same session). What "cold" means per
// server is in COLD_NOTE. The answers are kept (count + digest) and compared across servers afterwards.
import { createHash } from 'node:crypto';
import { open, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImapConnection } from '../client/imap-client.js';
import { boundedLoop, median, timed } from '../loop.js';
import type { ServerName } from '../options.js';
import { treeMemory } from '../proc.js';
import type { MeasureDef, Results } from '../results.js';
import type { BenchServer, Endpoint } from '../servers/server.js';
import { imapSession } from './imap-session.js';

/** A last name of mkmaildir.py's FROM pool, ASCII (no encoded words), in about 1 message in 22. */
export const FROM_NAME = 'Kowalski';

export interface SearchTerms {
  /** mkmaildir.py's planted rare word (mkmaildir.json rare_word). */
  readonly textWord: string;
  readonly fromName: string;
}

interface Probe {
  readonly id: string;
  readonly label: string;
  readonly command: (t: SearchTerms) => string;
  /** The untagged response holding the answer. */
  readonly reply: 'SEARCH' | 'SORT' | 'THREAD';
}

const PROBES: readonly Probe[] = [
  { id: 'text', label: 'SEARCH TEXT <word>', command: (t) => `SEARCH TEXT ${t.textWord}`, reply: 'SEARCH' },
  { id: 'from', label: 'SEARCH FROM <name>', command: (t) => `SEARCH FROM ${t.fromName}`, reply: 'SEARCH' },
  { id: 'sort', label: 'SORT (DATE) UTF-8 ALL', command: () => 'SORT (DATE) UTF-8 ALL', reply: 'SORT' },
  {
    id: 'thread',
    label: 'THREAD REFERENCES UTF-8 ALL',
    command: () => 'THREAD REFERENCES UTF-8 ALL',
    reply: 'THREAD',
  },
];

function defs(p: Probe): { cold: MeasureDef; warm: MeasureDef } {
  return {
    cold: { key: `search_${p.id}_cold`, label: `${p.label}, cold`, unit: 'ms', better: 'lower' },
    warm: { key: `search_${p.id}_warm`, label: `${p.label}, warm (again)`, unit: 'ms', better: 'lower' },
  };
}

export const SEARCH_MEM_DEF: MeasureDef = {
  key: 'search_mem',
  label: 'server memory growth over these searches (PSS)',
  unit: 'KB',
  better: 'lower',
};

export const COLD_NOTE =
  'search: "cold" = the first time the server runs that command on INBOX, in the order listed, so a later ' +
  "cold line may reuse what an earlier one left (SORT after FROM: our kept header values, Dovecot's cached " +
  'From/Date fields; THREAD after SORT). courier-ts: nothing of INBOX in its search caches (header values, ' +
  "SORT/THREAD facts). Dovecot: INBOX's dovecot.index.cache is removed first, so no header field or " +
  'date.sent is cached (fts off: SEARCH TEXT scans the messages). Courier keeps nothing between commands, ' +
  'so its cold and warm differ only by chance. The OS page cache is warmed for all three first (INBOX read ' +
  'once). "warm" = the same command again in the same session (median of up to 3).';

/** What a server answered: the number of messages (and threads), and a digest of the answer. */
export interface Answer {
  readonly count: number;
  readonly threads?: number;
  readonly digest: string;
}

export type Answers = Partial<Record<ServerName, Partial<Record<string, Answer>>>>;

const LONG = 600_000; // per-command timeout: SEARCH TEXT over 100,000 messages on a busy machine

/** Reads every message file of the folder once, so no server pays the first disk read. */
export async function warmPageCache(maildir: string): Promise<{ files: number; bytes: number }> {
  const buf = Buffer.allocUnsafe(1024 * 1024);
  let files = 0;
  let bytes = 0;
  for (const sub of ['cur', 'new']) {
    const names = await readdir(join(maildir, sub)).catch(() => [] as string[]);
    for (const n of names) {
      const fh = await open(join(maildir, sub, n), 'r').catch(() => undefined);
      if (!fh) continue;
      try {
        for (;;) {
          const { bytesRead } = await fh.read(buf, 0, buf.length, null);
          if (bytesRead === 0) break;
          bytes += bytesRead;
        }
        files++;
      } finally {
        await fh.close();
      }
    }
  }
  return { files, bytes };
}

/** The answer in the bytes a command received: its `* SEARCH`/`* SORT`/`* THREAD` line. */
export function parseAnswer(raw: string, reply: Probe['reply']): Answer | undefined {
  const line = raw.split('\r\n').find((l) => l.toUpperCase().startsWith(`* ${reply}`));
  if (line === undefined) return undefined;
  const body = line.slice(2 + reply.length).trim();
  const count = (body.match(/\d+/g) ?? []).length;
  const digest = createHash('sha256').update(body).digest('hex').slice(0, 16);
  if (reply !== 'THREAD') return { count, digest };
  let depth = 0;
  let threads = 0;
  for (const c of body) {
    if (c === '(' && depth++ === 0) threads++;
    else if (c === ')') depth--;
  }
  return { count, threads, digest };
}

/** Runs one command and captures the bytes it received (the bench client keeps only 4 KB heads). */
async function capture(c: ImapConnection, command: string): Promise<{ ms: number; raw: string }> {
  const parts: Buffer[] = [];
  const grab = (b: Buffer): void => {
    parts.push(b);
  };
  c.socket.on('data', grab);
  try {
    const t = await timed(() => c.command(command));
    if (t.value.status !== 'OK') throw new Error(t.value.tagged);
    return { ms: t.ms, raw: Buffer.concat(parts).toString('latin1') };
  } finally {
    c.socket.off('data', grab);
  }
}

/** Dovecot keeps its header/date cache in dovecot.index.cache beside INBOX's cur/. */
async function makeCold(server: BenchServer): Promise<void> {
  if (server.name === 'dovecot') await rm(join(server.maildir, 'dovecot.index.cache'), { force: true });
}

export async function measureSearch(
  server: BenchServer,
  ep: Endpoint,
  terms: SearchTerms,
  results: Results,
  answers: Answers,
): Promise<void> {
  const name = server.name;
  const area = 'search';
  for (const p of PROBES) {
    const d = defs(p);
    results.define(area, d.cold);
    results.define(area, d.warm);
  }
  results.define(area, SEARCH_MEM_DEF);
  await makeCold(server);
  let c: ImapConnection;
  try {
    c = await imapSession(ep, LONG);
    await c.select('INBOX');
  } catch (err) {
    const note = `no session: ${(err as Error).message}`;
    for (const p of PROBES) {
      results.set(area, defs(p).cold.key, name, { value: null, note });
      results.set(area, defs(p).warm.key, name, { value: null, note });
    }
    return;
  }
  const mine: Partial<Record<string, Answer>> = {};
  answers[name] = mine;
  try {
    const before = await treeMemory(await server.pids('imap'));
    for (const p of PROBES) {
      const d = defs(p);
      const command = p.command(terms);
      const run = async (): Promise<number> => {
        const r = await capture(c, command);
        const a = parseAnswer(r.raw, p.reply);
        if (!a) throw new Error(`no * ${p.reply} response`);
        mine[p.id] ??= a;
        if (mine[p.id]!.digest !== a.digest) throw new Error('warm answer differs from the cold one');
        return r.ms;
      };
      const cold = await results.measure(area, d.cold, name, async () => {
        const ms = await run();
        return { value: ms, detail: { command, ...mine[p.id] } };
      });
      await results.measure(area, d.warm, name, async () => {
        if (cold.value === null) throw new Error('not repeated: the cold run failed');
        const ms: number[] = [];
        // Up to 3 repeats, 1 when the first took long (100,000 messages on Courier: minutes per run).
        const maxCount = cold.value > 20_000 ? 1 : 3;
        await boundedLoop({ maxCount, maxMs: 30_000 }, async () => {
          ms.push(await run());
        });
        return { value: median(ms), detail: { command, samplesMs: ms } };
      });
    }
    const after = await treeMemory(await server.pids('imap'));
    results.set(area, SEARCH_MEM_DEF.key, name, {
      value: after.pssKb - before.pssKb,
      detail: { rssDeltaKb: after.rssKb - before.rssKb, processes: after.processes },
    });
  } finally {
    await c.logout();
  }
}

/** Notes where the servers' answers differ (counts, thread counts, or the exact answer). */
export function compareAnswers(answers: Answers, results: Results, terms: SearchTerms): void {
  const servers = Object.keys(answers) as ServerName[];
  const lines: string[] = [];
  for (const p of PROBES) {
    const got = servers.flatMap((s) => {
      const a = answers[s]?.[p.id];
      return a ? [{ s, a }] : [];
    });
    if (got.length === 0) continue;
    const show = got
      .map(({ s, a }) => `${s} ${a.count}${a.threads === undefined ? '' : `/${a.threads} threads`}`)
      .join(', ');
    const sameCount = got.every(({ a }) => a.count === got[0]!.a.count && a.threads === got[0]!.a.threads);
    const same = got.every(({ a }) => a.digest === got[0]!.a.digest);
    const verdict = same ? 'same answer' : sameCount ? 'same counts, different order/shape' : 'COUNTS DIFFER';
    lines.push(`${p.command(terms)}: ${show} (${verdict})`);
  }
  for (const l of lines) results.note('search', `answers: ${l}`);
}
