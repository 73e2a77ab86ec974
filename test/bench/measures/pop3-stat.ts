// POP3 STAT latency on all the servers in turn: STAT_ROUNDS rounds, the order reversed each round, a
// new session each time, each server's better round reported. Measured first in each server's own
// session, STAT came out 0.02-0.05 ms slower on whichever server was measured first (Dovecot as well,
// in A/B runs): the bench client's code still warming up; that was always courier-ts.

import { warmPop3Client } from '../client/pop3-warm-up.js';
import { alternating, median, timed } from '../loop.js';
import type { ServerName } from '../options.js';
import { bestRound, failedSample, type Results, type Sample } from '../results.js';
import type { BenchServer } from '../servers/server.js';
import { POP3_DEFS, session } from './pop3.js';

const STAT_ROUNDS = 2;
/** STATs per session, the median reported (the first command or two after a login are slow everywhere). */
const STATS = 25;

async function statSession(s: BenchServer): Promise<Sample> {
  const conn = await session(s.endpoints.pop3!);
  try {
    const ms: number[] = [];
    let status = '';
    for (let i = 0; i < STATS; i++) {
      const t = await timed(() => conn.command('STAT'));
      if (!t.value.ok) throw new Error(`STAT: ${t.value.status}`);
      status = t.value.status;
      ms.push(t.ms);
    }
    return { value: median(ms), detail: { samplesMs: ms, reply: status } };
  } finally {
    await conn.quit();
  }
}

/** STAT on `servers` (each past its first POP3 session), in rounds of alternating order. */
export async function measurePop3Stat(
  servers: readonly BenchServer[],
  results: Results,
  say: (text: string) => void,
): Promise<void> {
  const area = 'pop3';
  results.note(
    area,
    `STAT: ${STAT_ROUNDS} rounds over the servers, the order reversed each round; each server's better round`,
  );
  await warmPop3Client();
  const samples = new Map<ServerName, Sample[]>(servers.map((s) => [s.name, []]));
  for (const [round, s] of alternating(servers, STAT_ROUNDS)) {
    say(`POP3 ${s.name}: STAT, round ${round + 1}`);
    samples.get(s.name)!.push(await statSession(s).catch(failedSample));
  }
  for (const s of servers)
    results.set(
      area,
      POP3_DEFS.stat.key,
      s.name,
      bestRound(samples.get(s.name)!, POP3_DEFS.stat.better, 'roundsMs'),
    );
}
