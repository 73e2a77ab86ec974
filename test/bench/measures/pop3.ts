// POP3 measures on one server: the first session, LIST/UIDL on the big maildrop, login rate (STAT and
// RETR-all: pop3-rounds.ts).
// One command at a time (no PIPELINING), as poplib, fetchmail and most clients send them.
import { Pop3Connection } from '../client/pop3-client.js';
import { warmPop3Client } from '../client/pop3-warm-up.js';
import { boundedLoop, median, timed, WINDOW } from '../loop.js';
import type { BenchOptions, ServerName } from '../options.js';
import type { MeasureDef, Results } from '../results.js';
import type { Endpoint } from '../servers/server.js';

export const POP3_DEFS = {
  login: { key: 'login', label: 'login rate (USER/PASS/QUIT)', unit: 'logins/s', better: 'higher' },
  stat: { key: 'stat', label: 'STAT', unit: 'ms', better: 'lower' },
  list: { key: 'list', label: 'LIST (all)', unit: 'ms', better: 'lower' },
  uidl: { key: 'uidl', label: 'UIDL (all)', unit: 'ms', better: 'lower' },
  retr: { key: 'retr', label: 'RETR-all throughput', unit: 'MB/s', better: 'higher' },
  retrPiped: {
    key: 'retr_pipelined',
    label: `RETR-all, ${WINDOW} in flight (PIPELINING)`,
    unit: 'MB/s',
    better: 'higher',
  },
} as const satisfies Record<string, MeasureDef>;

export async function session(ep: Endpoint): Promise<Pop3Connection> {
  const { conn } = await Pop3Connection.open(ep.port, ep.host);
  try {
    await conn.login(ep.user, ep.pass);
  } catch (err) {
    conn.destroy();
    throw err;
  }
  return conn;
}

export async function measurePop3(
  server: ServerName,
  ep: Endpoint,
  o: BenchOptions,
  results: Results,
): Promise<{ messages: number }> {
  const area = 'pop3';
  // First session: the server's first look at the maildrop (Courier writes courierpop3dsizelist here).
  let messages = 0;
  // The client's own code warmed first, away from the server (whichever server is measured first would
  // otherwise pay for it).
  await warmPop3Client();
  // The STAT line is measurePop3Rounds's (sessions on all the servers, in alternating order); here only
  // the first look and the message count. Its row first, as before.
  results.define(area, POP3_DEFS.stat);
  {
    const conn = await session(ep);
    try {
      const r = await conn.command('STAT');
      if (!r.ok) throw new Error(`STAT: ${r.status}`);
      messages = Number(r.status.split(' ')[1] ?? 0);
    } finally {
      await conn.quit();
    }
  }
  for (const def of [POP3_DEFS.list, POP3_DEFS.uidl]) {
    await results.measure(area, def, server, async () => {
      const conn = await session(ep);
      try {
        const ms: number[] = [];
        let lines = 0;
        let bytes = 0;
        for (let i = 0; i < 3; i++) {
          const t = await timed(() => conn.command(def.key.toUpperCase(), true, i === 0));
          if (!t.value.ok) throw new Error(`${def.key}: ${t.value.status}`);
          if (t.value.body !== undefined) lines = t.value.body.split('\r\n').length - 2;
          bytes = t.value.bytes;
          ms.push(t.ms);
        }
        const note = lines !== messages ? `${lines} lines for ${messages} messages` : undefined;
        return { value: median(ms), ...(note ? { note } : {}), detail: { samplesMs: ms, lines, bytes } };
      } finally {
        await conn.quit();
      }
    });
  }
  await results.measure(area, POP3_DEFS.login, server, async () => {
    const r = await boundedLoop({ maxCount: o.logins, maxMs: 6_000 }, async () => {
      const conn = await session(ep);
      await conn.quit();
    });
    return {
      value: (r.count * 1000) / r.elapsedMs,
      detail: {
        sessions: r.count,
        elapsedMs: r.elapsedMs,
        medianMs: median(r.samples),
        timedOut: r.timedOut,
      },
    };
  });
  // RETR-all, one at a time and pipelined: pop3-rounds.ts, the servers in turn. Their rows after these.
  results.define(area, POP3_DEFS.retr);
  results.define(area, POP3_DEFS.retrPiped);
  return { messages };
}
