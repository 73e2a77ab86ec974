// `npm run bench`: courier-ts against Dovecot and the real Courier on copies of one generated maildir,
// on loopback, reported as one table per area (maildir, IMAP, POP3) with ratios, plus a JSON file in
// bench-results/. Benchmarks never assert; every loop is bounded in count and time; every server this
// starts is stopped at the end, also on Ctrl-C. See `npm run bench -- --help`.
import { rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { lockCacheDir } from './lock.js';
import { machineInfo, machineLine } from './machine.js';
import { pristineMaildir } from './maildir-cache.js';
import { measureImapBasic } from './measures/imap.js';
import { measureImapBodies } from './measures/imap-bodies.js';
import { measureIdle, measureMixed } from './measures/imap-load.js';
import { measureMaildir } from './measures/maildir.js';
import { measurePop3 } from './measures/pop3.js';
import { measurePop3Rounds } from './measures/pop3-rounds.js';
import {
  type Answers,
  COLD_NOTE,
  compareAnswers,
  FROM_NAME,
  measureSearch,
  warmPageCache,
} from './measures/search.js';
import { type BenchOptions, parseOptions, type ServerName, USAGE, UsageError } from './options.js';
import { ratios, renderReport, writeJson } from './report.js';
import { mergeRuns, Results } from './results.js';
import { startCourier } from './servers/courier.js';
import { startDovecot } from './servers/dovecot.js';
import { startOurs } from './servers/ours.js';
import { type BenchServer, isFailed, type Protocol } from './servers/server.js';

const t0 = performance.now();
const say = (line: string): void => {
  process.stdout.write(`[bench ${((performance.now() - t0) / 1000).toFixed(0).padStart(4)}s] ${line}\n`);
};

const running: BenchServer[] = [];
/** Every server started in this run (their work copies are removed at the end unless --keep). */
const started: BenchServer[] = [];
let interrupted = false;
let stopping: Promise<void> | undefined;

/** The start() in progress, so an interrupt waits for it and then stops what it started. */
let pendingStart: Promise<void> | undefined;

function stopAll(): Promise<void> {
  stopping ??= (async () => {
    await pendingStart?.catch(() => undefined);
    for (const s of running.splice(0)) {
      say(`stopping ${s.name}`);
      await s.stop();
    }
  })();
  return stopping;
}

/** Stop the servers now; the run then winds down (no new measures) and still writes its report. */
function onSignal(sig: NodeJS.Signals): void {
  say(`${sig}: stopping the servers`);
  interrupted = true;
  // If a measure in progress does not notice within 30 s, leave anyway (the servers are stopped first).
  setTimeout(() => void stopAll().finally(() => process.exit(130)), 30_000).unref();
  void stopAll();
}

async function start(name: ServerName, o: BenchOptions, pristine: string, results: Results): Promise<void> {
  say(`starting ${name}`);
  const opts = { cacheDir: o.cacheDir, pristine, say };
  const r =
    name === 'courier-ts'
      ? await startOurs(opts)
      : name === 'dovecot'
        ? await startDovecot(opts)
        : await startCourier(opts);
  if (isFailed(r)) {
    say(`${name}: FAILED to start: ${r.failed}`);
    for (const a of o.areas) if (a !== 'maildir') results.note(a, `${name}: failed to start: ${r.failed}`);
    return;
  }
  if (stopping) {
    await r.stop(); // interrupted while it was starting
    return;
  }
  running.push(r);
  started.push(r);
  for (const p of ['imap', 'pop3'] as const) {
    const why = r.unavailable[p];
    if (why) {
      say(`${name} ${p.toUpperCase()}: ${why}`);
      if (o.areas.includes(p)) results.note(p, `${name}: ${why}`);
      if (p === 'imap' && o.areas.includes('search')) results.note('search', `${name}: ${why}`);
    } else if (r.endpoints[p]) say(`${name} ${p.toUpperCase()} on 127.0.0.1:${r.endpoints[p].port}`);
  }
}

function serving(p: Protocol): BenchServer[] {
  if (stopping) return []; // interrupted: no new measures
  return running.filter((s) => s.endpoints[p]);
}

/** One server's part of a phase; an unexpected failure is reported and the bench goes on. */
async function guarded(what: string, fn: () => Promise<unknown>): Promise<void> {
  if (stopping) return;
  say(what);
  try {
    await fn();
  } catch (err) {
    say(`${what}: failed: ${(err as Error).message}`);
  }
}

/** One whole run: the servers started, every area measured into `results`, the servers stopped. */
async function runOnce(
  o: BenchOptions,
  pristine: Awaited<ReturnType<typeof pristineMaildir>>,
  results: Results,
  descriptions: Record<string, string>,
): Promise<void> {
  const info = pristine.info;
  try {
    for (const name of o.servers) {
      if (stopping) break;
      pendingStart = start(name, o, pristine.path, results);
      await pendingStart;
    }
    if (o.areas.includes('maildir')) {
      say('maildir: open INBOX cold and warm');
      await measureMaildir(o.servers, pristine.path, o.cacheDir, results);
    }
    if (o.areas.includes('imap')) {
      results.note(
        'imap',
        "one command at a time, as a normal client; Courier's imapd writes replies in pieces without TCP_NODELAY, " +
          'so each command can stall ~40 ms on the delayed-ACK timer (what its non-pipelining clients see)',
      );
      const exists: Partial<Record<ServerName, number>> = {};
      for (const s of serving('imap')) {
        await guarded(`IMAP ${s.name}: SELECT, FETCH, body download, logins`, async () => {
          exists[s.name] = (await measureImapBasic(s, s.endpoints.imap!, o, results)).exists;
        });
      }
      await guarded('IMAP: body download, the servers in turn', () =>
        measureImapBodies(serving('imap'), o, results, say),
      );
      results.note(
        'imap',
        `idle connections: LOGIN + SELECT INBOX + IDLE, ${o.idleConnections} per server, opened 20 at a time`,
      );
      for (const s of serving('imap')) {
        await guarded(`IMAP ${s.name}: ${o.idleConnections} idle IDLE connections`, () =>
          measureIdle(s, s.endpoints.imap!, o.idleConnections, o.idleMemCapMb, results),
        );
      }
      results.note(
        'imap',
        `mixed: ${o.mixedSeconds} s per run; FETCH ENVELOPE of 20, BODY.PEEK[], STORE, NOOP, STATUS, LIST`,
      );
      for (const clients of [10, 50]) {
        for (const s of serving('imap')) {
          await guarded(`IMAP ${s.name}: mixed workload, ${clients} clients`, () =>
            measureMixed(
              s.name,
              s.endpoints.imap!,
              clients,
              o.mixedSeconds,
              exists[s.name] ?? o.messages,
              results,
            ),
          );
        }
      }
    }
    if (o.areas.includes('search')) {
      results.note('search', COLD_NOTE);
      const rare = (info as { readonly rare_word?: string }).rare_word;
      const terms = { textWord: rare ?? 'xylophone', fromName: FROM_NAME };
      say('search: reading INBOX once (OS page cache warm for every server)');
      const warm = await warmPageCache(pristine.path);
      say(`search: read ${warm.files} files, ${(warm.bytes / 2 ** 20).toFixed(0)} MB`);
      const answers: Answers = {};
      for (const s of serving('imap')) {
        await guarded(`IMAP ${s.name}: SEARCH TEXT/FROM, SORT, THREAD cold and warm`, () =>
          measureSearch(s, s.endpoints.imap!, terms, results, answers),
        );
      }
      compareAnswers(answers, results, terms);
    }
    if (o.areas.includes('pop3')) {
      const messages: Partial<Record<ServerName, number>> = {};
      for (const s of serving('pop3')) {
        await guarded(`POP3 ${s.name}: first session, LIST/UIDL, logins`, async () => {
          messages[s.name] = (await measurePop3(s.name, s.endpoints.pop3!, o, results)).messages;
        });
      }
      await guarded('POP3: STAT and RETR-all, the servers in turn', () =>
        measurePop3Rounds(serving('pop3'), messages, o, results, say),
      );
    }
  } finally {
    for (const s of running) descriptions[s.name] = s.description;
    await stopAll();
    // Not interrupted: the next run may start servers again.
    if (!interrupted) stopping = undefined;
    if (!o.keep) {
      for (const s of started) await rm(s.maildir, { recursive: true, force: true }).catch(() => undefined);
    }
    started.length = 0;
  }
}

async function runBench(o: BenchOptions): Promise<void> {
  const machine = machineInfo();
  say(machineLine(machine));
  const pristine = await pristineMaildir({ cacheDir: o.cacheDir, messages: o.messages, seed: o.seed, say });
  const info = pristine.info;
  say(
    `maildir: ${o.messages} messages in INBOX (${(info.inbox_bytes / 2 ** 20).toFixed(0)} MB, median ${info.inbox_size_p50} B), ` +
      `${Object.keys(info.folders).length - 1} more folders; ${pristine.path}${pristine.generated ? ' (generated now)' : ' (cached)'}`,
  );
  const runs: Results[] = [];
  const descriptions: Record<string, string> = {};
  try {
    for (let r = 0; r < o.runs && !interrupted; r++) {
      if (o.runs > 1) say(`run ${r + 1} of ${o.runs}`);
      const results = new Results();
      runs.push(results);
      await runOnce(o, pristine, results, descriptions);
    }
  } finally {
    const results = runs.length > 1 ? mergeRuns(runs) : (runs[0] ?? new Results());
    if (runs.length > 1) {
      for (const a of o.areas)
        results.note(
          a,
          `each line: its median run of ${runs.length} (every run's value in the JSON: runValues)`,
        );
    }
    const seconds = (performance.now() - t0) / 1000;
    const loadAtEnd = loadavg().map((x) => Math.round(x * 100) / 100);
    const header = [
      `courier-ts bench, ${o.messages} messages (seed ${o.seed}), ${machine.startedAt}, ${seconds.toFixed(0)} s` +
        (runs.length > 1 ? `, ${runs.length} runs` : ''),
      `${machineLine(machine)}; load average at the end ${loadAtEnd.join(' ')}`,
      ...Object.entries(descriptions).map(([k, v]) => `${k}: ${v}`),
    ];
    process.stdout.write(`\n${renderReport(results, header)}\n`);
    const file = await writeJson(o.outDir, o.messages, {
      machine: { ...machine, loadavgAtEnd: loadAtEnd },
      options: { ...o },
      servers: descriptions,
      dataset: { ...info, path: pristine.path },
      results: results.areas,
      ratios: ratios(results),
      ...(runs.length > 1 ? { runs: runs.map((r) => r.areas) } : {}),
      durationSeconds: seconds,
    });
    process.stdout.write(`\nJSON: ${file}\n`);
  }
}

async function main(): Promise<number> {
  let o: BenchOptions | undefined;
  try {
    o = parseOptions(process.argv.slice(2), process.env);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`bench: ${err.message}\n${USAGE}\n`);
      return 2;
    }
    throw err;
  }
  if (!o) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const lock = await lockCacheDir(o.cacheDir);
  if (typeof lock === 'string') {
    process.stderr.write(`bench: ${lock}\n`);
    return 1;
  }
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await runBench(o);
    return interrupted ? 130 : 0;
  } catch (err) {
    say(`aborted: ${(err as Error).stack ?? String(err)}`);
    await stopAll();
    return 1;
  } finally {
    await lock.release();
  }
}

process.exitCode = await main();
