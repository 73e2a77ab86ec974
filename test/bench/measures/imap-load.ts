// IMAP under load: a mixed workload of N concurrent clients (each one command at a time), and the
// server memory per idle IDLE connection (PSS and RSS of the server's process tree, before and after).

import { rng } from '../../support/rng.js';
import type { ImapConnection } from '../client/imap-client.js';
import { median, percentile, sleep } from '../loop.js';
import type { ServerName } from '../options.js';
import { processTree, treeMemory } from '../proc.js';
import type { MeasureDef, Results } from '../results.js';
import type { BenchServer, Endpoint } from '../servers/server.js';
import { folderNames, imapSession } from './imap-session.js';

export const LOAD_DEFS = {
  mixed10: { key: 'mixed_10', label: 'mixed workload, 10 clients', unit: 'ops/s', better: 'higher' },
  mixed50: { key: 'mixed_50', label: 'mixed workload, 50 clients', unit: 'ops/s', better: 'higher' },
  idlePss: { key: 'idle_pss', label: 'memory per idle IDLE connection (PSS)', unit: 'KB', better: 'lower' },
  idleRss: {
    key: 'idle_rss',
    label: 'memory per idle IDLE connection (RSS sum)',
    unit: 'KB',
    better: 'lower',
  },
} as const satisfies Record<string, MeasureDef>;

/** One operation of the mixed workload, as a mail client does them after SELECT INBOX. */
function nextOp(rnd: () => number, exists: number, other: string): string {
  const n = 1 + Math.floor(rnd() * exists);
  const x = rnd();
  if (x < 0.3) {
    const lo = Math.max(1, n - 19);
    return `FETCH ${lo}:${n} (UID FLAGS RFC822.SIZE ENVELOPE)`;
  }
  if (x < 0.55) return `FETCH ${n} BODY.PEEK[]`;
  if (x < 0.65) return `STORE ${n} +FLAGS.SILENT (\\Flagged)`;
  if (x < 0.7) return `STORE ${n} -FLAGS.SILENT (\\Flagged)`;
  if (x < 0.8) return 'NOOP';
  if (x < 0.9) return `STATUS "${other}" (MESSAGES UNSEEN UIDNEXT)`;
  return 'LIST "" "*"';
}

/** Median (by PSS) of three readings a second apart: one reading can fall just before or after a major GC. */
async function medianMemory(roots: readonly number[]): Promise<Awaited<ReturnType<typeof treeMemory>>> {
  const readings = [];
  for (let i = 0; i < 3; i++) {
    if (i > 0) await sleep(1000);
    readings.push(await treeMemory(roots));
  }
  readings.sort((a, b) => a.pssKb - b.pssKb);
  return readings[1]!;
}

/**
 * The tree's memory once it has stopped moving: the previous measures leave garbage that a server
 * may give back seconds later (a collection freed over 50 MB of a 100,000-message run's in the
 * middle of the connections once, and the figure per connection came out negative). Readings a
 * second apart until two agree within 1 MB (at most 20 s), then medianMemory.
 */
async function quietMemory(roots: readonly number[]): Promise<Awaited<ReturnType<typeof treeMemory>>> {
  let last = await treeMemory(roots);
  for (let i = 0; i < 20; i++) {
    await sleep(1000);
    const now = await treeMemory(roots);
    if (Math.abs(now.pssKb - last.pssKb) < 1024) break;
    last = now;
  }
  return medianMemory(roots);
}

export async function measureMixed(
  server: ServerName,
  ep: Endpoint,
  clients: number,
  seconds: number,
  exists: number,
  results: Results,
): Promise<void> {
  const def = clients <= 10 ? LOAD_DEFS.mixed10 : LOAD_DEFS.mixed50;
  await results.measure('imap', def, server, async () => {
    const conns: ImapConnection[] = [];
    const ready: ImapConnection[] = [];
    try {
      // Sessions log in and SELECT in parallel; those not ready within 30 s are left out (and noted).
      let setupFailures = 0;
      let setupError = '';
      await Promise.all(
        Array.from({ length: clients }, async () => {
          try {
            const c = await imapSession(ep, 30_000);
            conns.push(c);
            await c.select('INBOX');
            ready.push(c);
          } catch (err) {
            setupFailures++;
            setupError ||= (err as Error).message;
          }
        }),
      );
      if (ready.length === 0) {
        throw new Error(`no client got through LOGIN + SELECT (${setupFailures} failed: ${setupError})`);
      }
      const names = await folderNames(ready[0]!);
      const other = names.get('Sent') ?? 'INBOX.Sent';
      const latencies: number[] = [];
      let errors = 0;
      let late = 0;
      const deadline = Date.now() + seconds * 1000;
      const workers = Promise.all(
        ready.map(async (c, i) => {
          const rnd = rng(1000 + i);
          for (let k = 0; k < 100_000 && Date.now() < deadline; k++) {
            const t0 = performance.now();
            const r = await c.command(nextOp(rnd, exists, other));
            if (Date.now() > deadline) {
              late++; // finished after the window: not counted
              return;
            }
            latencies.push(performance.now() - t0);
            if (r.status !== 'OK') errors++;
          }
        }),
      );
      // Commands still running 3 s after the window (a big body on a slow server) are abandoned.
      await Promise.race([workers.catch(() => undefined), sleep(seconds * 1000 + 3000)]);
      const busy = ready.filter((c) => c.busy).length;
      const notes = [
        setupFailures ? `${setupFailures} of ${clients} clients not ready in 30 s (${setupError})` : '',
        errors ? `${errors} commands not OK` : '',
        busy ? `${busy} clients still waiting at the end` : '',
      ]
        .filter(Boolean)
        .join('; ');
      return {
        value: (latencies.length * 1000) / (seconds * 1000),
        ...(notes ? { note: notes } : {}),
        detail: {
          clients: ready.length,
          ops: latencies.length,
          late,
          p50Ms: median(latencies),
          p95Ms: percentile(latencies, 95),
          errors,
        },
      };
    } finally {
      await Promise.all(conns.map((c) => (c.busy ? c.destroy() : c.logout())));
    }
  });
}

/** Open `count` connections (20 at a time), each LOGIN + SELECT INBOX + IDLE; memory delta per connection. */
export async function measureIdle(
  server: BenchServer,
  ep: Endpoint,
  count: number,
  memCapMb: number,
  results: Results,
): Promise<void> {
  const name = server.name;
  const conns: ImapConnection[] = [];
  let opened = 0;
  let failures = 0;
  let firstError = '';
  let baseProcesses = 0;
  const measureBoth = async () => {
    // Ours: also once its session worker has collected the garbage of the earlier measures.
    await (server.settleMemory ?? server.settle)?.call(server, 'imap');
    const roots = await server.pids('imap');
    const before = await quietMemory(roots);
    baseProcesses = before.processes;
    const deadline = Date.now() + 60_000;
    let next = 0;
    let overCap = false;
    const worker = async (): Promise<void> => {
      while (next < count && Date.now() < deadline && !overCap) {
        next++;
        if (next % 20 === 0) {
          // Guard for a shared machine: stop before a server that grows per connection eats it all.
          // By PSS: Dovecot's 1,000 processes share most of their pages, so their RSS sum is ~10x
          // their memory (it stopped Dovecot at 951 connections with a 4 GB cap).
          const now = await treeMemory(roots);
          if (now.pssKb - before.pssKb > memCapMb * 1024) overCap = true;
        }
        try {
          const c = await imapSession(ep, 20_000);
          conns.push(c);
          await c.select('INBOX');
          const r = await c.command('IDLE', { stopAtContinuation: true });
          if (r.status !== 'OK') throw new Error(`IDLE: ${r.tagged}`);
          opened++;
        } catch (err) {
          failures++;
          firstError ||= (err as Error).message;
          if (failures > 20) return;
        }
      }
    };
    await Promise.all(Array.from({ length: 20 }, worker));
    // Memory as it stays while the connections idle: ours once its worker has collected the
    // garbage of the logins (after a quiet minute); the others' after two seconds.
    if (server.settleMemory) await server.settleMemory('imap');
    else await sleep(2000);
    const after = await medianMemory(roots);
    const note = [
      opened < count ? `${opened} of ${count} connections idle` : '',
      overCap ? `stopped early: server grew by more than ${memCapMb} MB` : '',
      failures ? `${failures} failed: ${firstError}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    const detail = { connections: opened, before, after };
    results.set('imap', LOAD_DEFS.idleRss.key, name, {
      value: opened ? (after.rssKb - before.rssKb) / opened : null,
      ...(note ? { note } : {}),
      detail,
    });
    return {
      value: opened ? (after.pssKb - before.pssKb) / opened : null,
      ...(note ? { note } : {}),
      detail,
    };
  };
  results.define('imap', LOAD_DEFS.idlePss);
  results.define('imap', LOAD_DEFS.idleRss);
  try {
    await results.measure('imap', LOAD_DEFS.idlePss, name, measureBoth);
  } finally {
    for (const c of conns) c.destroy();
    // Let the server reap the sessions before the next measure (bounded).
    const roots = await server.pids('imap');
    for (let i = 0; i < 50 && (await processTree(roots)).length > baseProcesses + 2; i++) await sleep(200);
  }
}
