// IMAP body download, one FETCH n BODY.PEEK[] at a time and WINDOW in flight, measured on all the
// servers in turn: BODY_ROUNDS rounds, the order reversed each round, each server's median round
// reported (rounds.ts). Measured one server after the other (each in its place in
// measureImapBasic), the server measured first came out 10-15% slower in A/B runs whichever it was
// (its client code and the machine still warming up), and that was always courier-ts. Two rounds and
// the better one were not enough: over ten full runs of one day the ratios of these two lines went
// from 0.83 to 1.07.

import type { ImapConnection } from '../client/imap-client.js';
import { warmImapClient } from '../client/imap-warm-up.js';
import { boundedLoop, median, WINDOW } from '../loop.js';
import type { BenchOptions } from '../options.js';
import { failedSample, type Results, type Sample } from '../results.js';
import { measureInRounds } from '../rounds.js';
import type { BenchServer } from '../servers/server.js';
import { IMAP_DEFS, LONG } from './imap.js';
import { imapSession } from './imap-session.js';

const BODY_ROUNDS = 5;

/** One pass of bodies one by one from message 1, up to the bench's download size or 10 s. */
async function oneByOne(c: ImapConnection, exists: number, o: BenchOptions): Promise<Sample> {
  let bytes = 0;
  const r = await boundedLoop({ maxCount: exists, maxMs: 10_000 }, async (i) => {
    const reply = await c.command(`FETCH ${i + 1} BODY.PEEK[]`);
    if (reply.status !== 'OK') throw new Error(reply.tagged);
    bytes += reply.literalBytes;
    return bytes < o.downloadBytes;
  });
  return {
    value: bytes / (1024 * 1024) / (r.elapsedMs / 1000),
    detail: {
      messages: r.count,
      bytes,
      elapsedMs: r.elapsedMs,
      medianMs: median(r.samples),
      timedOut: r.timedOut,
    },
  };
}

/** The same, WINDOW FETCHes in flight. */
async function pipelined(c: ImapConnection, exists: number, o: BenchOptions): Promise<Sample> {
  let bytes = 0;
  let messages = 0;
  const r = await boundedLoop({ maxCount: Math.ceil(exists / WINDOW), maxMs: 10_000 }, async (i) => {
    const first = i * WINDOW + 1;
    const seqs = Array.from({ length: Math.min(WINDOW, exists - first + 1) }, (_, k) => first + k);
    const replies = await c.pipeline(seqs.map((n) => `FETCH ${n} BODY.PEEK[]`));
    for (const reply of replies) {
      if (reply.status !== 'OK') throw new Error(reply.tagged);
      bytes += reply.literalBytes;
    }
    messages += seqs.length;
    return bytes < o.downloadBytes;
  });
  return {
    value: bytes / (1024 * 1024) / (r.elapsedMs / 1000),
    detail: { messages, bytes, elapsedMs: r.elapsedMs, timedOut: r.timedOut },
  };
}

const PASSES = [
  { def: IMAP_DEFS.body, roundsKey: 'roundsMBs', run: oneByOne },
  { def: IMAP_DEFS.bodyPiped, roundsKey: 'roundsMBs', run: pipelined },
] as const;

/** Body download on `servers` (each with INBOX already opened once), in rounds of alternating order. */
export async function measureImapBodies(
  servers: readonly BenchServer[],
  o: BenchOptions,
  results: Results,
  say: (text: string) => void,
): Promise<void> {
  await warmImapClient();
  const spec = {
    area: 'imap',
    protocol: 'IMAP',
    what: 'body download',
    rounds: BODY_ROUNDS,
    passes: PASSES,
  } as const;
  await measureInRounds(spec, servers, results, say, async (s) => {
    let c: ImapConnection | undefined;
    try {
      c = await imapSession(s.endpoints.imap!, LONG);
      const exists = await c.select('INBOX');
      const out: Sample[] = [];
      for (const p of PASSES) out.push(await p.run(c, exists, o).catch(failedSample));
      return out;
    } finally {
      await c?.logout().catch(() => undefined);
    }
  });
}
