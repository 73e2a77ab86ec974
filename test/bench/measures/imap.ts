// IMAP measures on one server, one command at a time as a normal client sends them: SELECT cold (the
// server's first look at INBOX) and warm, the two FETCH 1:* forms, login rate. Body download is
// measured apart, the servers in turn (imap-bodies.ts).
// Courier's imapd writes replies in pieces without TCP_NODELAY, so a client that waits for each reply
// pays the delayed-ACK timer (~40 ms) per command; that is what its clients see, so it is measured so.
import { warmImapClient } from '../client/imap-warm-up.js';
import { boundedLoop, median, timed, WINDOW } from '../loop.js';
import type { BenchOptions, ServerName } from '../options.js';
import { treeMemory } from '../proc.js';
import type { MeasureDef, Results } from '../results.js';
import type { BenchServer, Endpoint } from '../servers/server.js';
import { imapSession } from './imap-session.js';

export const IMAP_DEFS = {
  selectCold: { key: 'select_cold', label: 'SELECT INBOX, cold', unit: 'ms', better: 'lower' },
  selectWarm: { key: 'select_warm', label: 'SELECT INBOX, warm (new session)', unit: 'ms', better: 'lower' },
  selectMem: {
    key: 'select_mem',
    label: 'server memory for a session with INBOX selected (PSS)',
    unit: 'KB',
    better: 'lower',
  },
  fetchFast: {
    key: 'fetch_fast',
    label: 'FETCH 1:* (UID FLAGS RFC822.SIZE INTERNALDATE)',
    unit: 'ms',
    better: 'lower',
  },
  envCold: {
    key: 'fetch_env_cold',
    label: 'FETCH 1:* (ENVELOPE BODYSTRUCTURE), first',
    unit: 'ms',
    better: 'lower',
  },
  envWarm: {
    key: 'fetch_env_warm',
    label: 'FETCH 1:* (ENVELOPE BODYSTRUCTURE), again',
    unit: 'ms',
    better: 'lower',
  },
  body: {
    key: 'body',
    label: 'body download, FETCH n BODY.PEEK[] one by one',
    unit: 'MB/s',
    better: 'higher',
  },
  bodyPiped: {
    key: 'body_pipelined',
    label: `body download, ${WINDOW} FETCHes in flight (pipelined)`,
    unit: 'MB/s',
    better: 'higher',
  },
  login: { key: 'login', label: 'login rate (connect/LOGIN/LOGOUT)', unit: 'logins/s', better: 'higher' },
} as const satisfies Record<string, MeasureDef>;

export const LONG = 300_000; // per-command timeout for whole-folder FETCHes (100,000 messages on Courier)

export async function measureImapBasic(
  server: BenchServer,
  ep: Endpoint,
  o: BenchOptions,
  results: Results,
): Promise<{ exists: number }> {
  const name: ServerName = server.name;
  const area = 'imap';
  let exists = 0;
  for (const d of Object.values(IMAP_DEFS)) results.define(area, d);
  // The client's own code warmed first, away from the server (whichever server is measured first would
  // otherwise pay for it), as for POP3.
  await warmImapClient();
  // The very first SELECT on the fresh copy, with the server memory around it.
  await results.measure(area, IMAP_DEFS.selectCold, name, async () => {
    const c = await imapSession(ep, LONG);
    try {
      const before = await treeMemory(await server.pids('imap'));
      const t = await timed(() => c.select('INBOX'));
      exists = t.value;
      const after = await treeMemory(await server.pids('imap'));
      results.set(area, IMAP_DEFS.selectMem.key, name, {
        value: after.pssKb - before.pssKb,
        detail: { rssDeltaKb: after.rssKb - before.rssKb, processes: after.processes },
      });
      return { value: t.ms, detail: { exists } };
    } finally {
      await c.logout();
    }
  });
  await results.measure(area, IMAP_DEFS.selectWarm, name, async () => {
    const ms: number[] = [];
    await boundedLoop({ maxCount: 3, maxMs: 60_000 }, async () => {
      const c = await imapSession(ep, LONG);
      try {
        const t = await timed(() => c.select('INBOX'));
        exists = t.value;
        ms.push(t.ms);
      } finally {
        await c.logout();
      }
    });
    return { value: median(ms), detail: { samplesMs: ms } };
  });
  let c: Awaited<ReturnType<typeof imapSession>>;
  try {
    c = await imapSession(ep, LONG);
    await c.select('INBOX');
  } catch (err) {
    const note = `no session: ${(err as Error).message}`;
    for (const d of [IMAP_DEFS.fetchFast, IMAP_DEFS.envCold, IMAP_DEFS.envWarm])
      results.set(area, d.key, name, { value: null, note });
    return { exists };
  }
  try {
    await results.measure(area, IMAP_DEFS.fetchFast, name, async () => {
      const ms: number[] = [];
      let responses = 0;
      let bytes = 0;
      await boundedLoop({ maxCount: 2, maxMs: 60_000 }, async () => {
        const t = await timed(() => c.command('FETCH 1:* (UID FLAGS RFC822.SIZE INTERNALDATE)'));
        if (t.value.status !== 'OK') throw new Error(t.value.tagged);
        responses = t.value.untaggedCount;
        bytes = t.value.bytes;
        ms.push(t.ms);
      });
      const note = responses < exists ? `${responses} responses for ${exists} messages` : undefined;
      return { value: median(ms), ...(note ? { note } : {}), detail: { samplesMs: ms, responses, bytes } };
    });
    const env: number[] = [];
    let envResponses = 0;
    const envelope = async (): Promise<number> => {
      const t = await timed(() => c.command('FETCH 1:* (ENVELOPE BODYSTRUCTURE)'));
      if (t.value.status !== 'OK') throw new Error(t.value.tagged);
      envResponses = t.value.untaggedCount;
      env.push(t.ms);
      return t.ms;
    };
    await results.measure(area, IMAP_DEFS.envCold, name, async () => ({
      value: await envelope(),
      detail: { responses: envResponses },
    }));
    await results.measure(area, IMAP_DEFS.envWarm, name, async () => {
      if ((env[0] ?? 0) > 60_000) throw new Error('not repeated: the first took over 60 s');
      const first = env.length;
      await boundedLoop({ maxCount: 1, maxMs: 60_000 }, async () => {
        await envelope();
      });
      return {
        value: median(env.slice(first)),
        detail: { samplesMs: env.slice(first), responses: envResponses },
      };
    });
  } finally {
    await c.logout();
  }
  await results.measure(area, IMAP_DEFS.login, name, async () => {
    const r = await boundedLoop({ maxCount: o.logins, maxMs: 6_000 }, async () => {
      const s = await imapSession(ep);
      await s.logout();
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
  return { exists };
}
