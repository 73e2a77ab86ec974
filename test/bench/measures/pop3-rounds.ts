// POP3 STAT latency and RETR-all throughput on all the servers in turn: POP3_ROUNDS rounds, the order
// reversed each round, a new session for each pass, each server's median round reported (rounds.ts).
// Measured in each server's own turn, STAT came out 0.02-0.05 ms slower on whichever server was
// measured first (Dovecot as well, in A/B runs): the bench client's code still warming up; that was
// always courier-ts. RETR-all was one pass per server, ours first: in rounds now for the same reason.

import type { Pop3Connection } from '../client/pop3-client.js';
import { warmPop3Client } from '../client/pop3-warm-up.js';
import { boundedLoop, median, timed, WINDOW } from '../loop.js';
import type { BenchOptions, ServerName } from '../options.js';
import { failedSample, type Results, type Sample } from '../results.js';
import { measureInRounds } from '../rounds.js';
import type { BenchServer } from '../servers/server.js';
import { POP3_DEFS, session } from './pop3.js';

const POP3_ROUNDS = 5;
/** STATs per session, the median reported (the first command or two after a login are slow everywhere). */
const STATS = 25;

async function stat(conn: Pop3Connection): Promise<Sample> {
  const ms: number[] = [];
  let status = '';
  for (let i = 0; i < STATS; i++) {
    const t = await timed(() => conn.command('STAT'));
    if (!t.value.ok) throw new Error(`STAT: ${t.value.status}`);
    status = t.value.status;
    ms.push(t.ms);
  }
  return { value: median(ms), detail: { samplesMs: ms, reply: status } };
}

/** RETR of every message in order, one at a time, up to the bench's download size or 10 s. */
async function retrAll(conn: Pop3Connection, messages: number, o: BenchOptions): Promise<Sample> {
  let bytes = 0;
  const r = await boundedLoop({ maxCount: messages, maxMs: 10_000 }, async (i) => {
    const reply = await conn.command(`RETR ${i + 1}`, true);
    if (!reply.ok) throw new Error(`RETR ${i + 1}: ${reply.status}`);
    bytes += reply.bytes;
    return bytes < o.downloadBytes;
  });
  return {
    value: bytes / (1024 * 1024) / (r.elapsedMs / 1000),
    detail: { messages: r.count, bytes, elapsedMs: r.elapsedMs, timedOut: r.timedOut },
  };
}

/** The same, WINDOW RETRs in flight, where the server advertises PIPELINING. */
async function retrPipelined(conn: Pop3Connection, messages: number, o: BenchOptions): Promise<Sample> {
  const capa = await conn.command('CAPA', true, true);
  if (!/^PIPELINING\b/m.test(capa.body ?? '')) return { value: null, note: 'PIPELINING not advertised' };
  let bytes = 0;
  let count = 0;
  const r = await boundedLoop({ maxCount: Math.ceil(messages / WINDOW), maxMs: 10_000 }, async (i) => {
    const first = i * WINDOW + 1;
    const n = Math.min(WINDOW, messages - first + 1);
    const replies = await conn.pipeline(
      Array.from({ length: n }, (_, k) => `RETR ${first + k}`),
      true,
    );
    for (const reply of replies) {
      if (!reply.ok) throw new Error(`RETR: ${reply.status}`);
      bytes += reply.bytes;
    }
    count += n;
    return bytes < o.downloadBytes;
  });
  return {
    value: bytes / (1024 * 1024) / (r.elapsedMs / 1000),
    detail: { messages: count, bytes, elapsedMs: r.elapsedMs, timedOut: r.timedOut },
  };
}

const PASSES = [
  { def: POP3_DEFS.stat, roundsKey: 'roundsMs', run: stat },
  { def: POP3_DEFS.retr, roundsKey: 'roundsMBs', run: retrAll },
  { def: POP3_DEFS.retrPiped, roundsKey: 'roundsMBs', run: retrPipelined },
] as const;

/**
 * STAT and RETR-all on `servers` (each past its first POP3 session; `messages`: its maildrop's
 * count, none if that session failed), in rounds of alternating order, each pass in a session of its own.
 */
export async function measurePop3Rounds(
  servers: readonly BenchServer[],
  messages: Partial<Record<ServerName, number>>,
  o: BenchOptions,
  results: Results,
  say: (text: string) => void,
): Promise<void> {
  await warmPop3Client();
  const spec = {
    area: 'pop3',
    protocol: 'POP3',
    what: 'STAT and RETR-all',
    rounds: POP3_ROUNDS,
    passes: PASSES,
  } as const;
  await measureInRounds(spec, servers, results, say, async (s) => {
    const count = messages[s.name];
    const out: Sample[] = [];
    for (const p of PASSES) {
      if (count === undefined) {
        out.push({ value: null, note: 'its first session failed' });
        continue;
      }
      let conn: Pop3Connection | undefined;
      try {
        conn = await session(s.endpoints.pop3!);
        out.push(await p.run(conn, count, o));
      } catch (err) {
        out.push(failedSample(err));
      } finally {
        await conn?.quit().catch(() => undefined);
      }
    }
    return out;
  });
}
