// Command-line flags of `npm run bench` (test/bench/run.ts): sizes, which servers and protocols, bounds.
import { resolve } from 'node:path';
import { repoRoot } from '../support/paths.js';

export const SERVER_NAMES = ['courier-ts', 'dovecot', 'courier'] as const;
export type ServerName = (typeof SERVER_NAMES)[number];
export const AREAS = ['maildir', 'imap', 'search', 'pop3'] as const;
export type Area = (typeof AREAS)[number];

export interface BenchOptions {
  /** Messages in INBOX of the generated maildir. */
  readonly messages: number;
  readonly seed: number;
  readonly servers: readonly ServerName[];
  readonly areas: readonly Area[];
  /** Idle IDLE connections opened for the memory measure. */
  readonly idleConnections: number;
  /** The idle measure stops opening connections once the server's PSS grew by this much (MiB). */
  readonly idleMemCapMb: number;
  /** Duration of each mixed-workload run (10 and 50 clients). */
  readonly mixedSeconds: number;
  /** Bytes downloaded at most by RETR-all / the IMAP body download (each also capped in time). */
  readonly downloadBytes: number;
  /** Sequential sessions for the login-rate measures. */
  readonly logins: number;
  /** Where generated maildirs, the Courier and Dovecot instances and work copies live. */
  readonly cacheDir: string;
  readonly outDir: string;
  /** Keep the work copies after the run (for a look at what the servers wrote). */
  readonly keep: boolean;
  /** Whole runs (servers started afresh each time), each measure's median run reported. */
  readonly runs: number;
}

export const USAGE = `usage: npm run bench -- [options]
  --messages N        messages in INBOX (default 10000)
  --large             100,000 messages (same as --messages 100000)
  --seed N            mkmaildir.py seed (default 1)
  --servers LIST      comma list of courier-ts,dovecot,courier (default all)
  --only LIST         comma list of maildir,imap,search,pop3 (default all; search = SEARCH/SORT/THREAD)
  --idle N            idle IDLE connections for the memory measure (default 1000, the issue's figure: with
                      200, a few MB that V8 keeps or gives back moved ours by +-20 KB per connection);
                      opening stops early when the server grows by more than --idle-mem-mb
  --idle-mem-mb N     cap on the server's memory growth (PSS) during the idle measure (default 4096)
  --mixed-seconds S   length of each mixed-workload run (default 5)
  --download-mb N     cap of RETR-all / IMAP body download per server (default 128)
  --logins N          sessions for the login-rate measures (default 50)
  --cache-dir DIR     generated maildirs and instances (default /var/tmp/courier-ts-bench[-UID],
                      or $COURIER_TS_BENCH_DIR); its parents must be searchable by all
  --out DIR           where the JSON result goes (default bench-results/)
  --keep              keep the per-server work copies after the run
  --runs N            whole runs, the servers started afresh for each; every line reports its median
                      run (default 1; 3 or 5 on a shared machine, where a line measured once per run,
                      such as the first FETCH ENVELOPE BODYSTRUCTURE, was at times over twice its usual figure)`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function list<T extends string>(value: string, allowed: readonly T[], flag: string): T[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const i of items) {
    if (!(allowed as readonly string[]).includes(i))
      throw new UsageError(`${flag}: unknown ${i} (one of ${allowed.join(', ')})`);
  }
  return items as T[];
}

function int(value: string | undefined, flag: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`${flag} needs an integer in ${min}..${max}`);
  return n;
}

/** Parse argv (after the script name); throws UsageError on anything unknown. Returns undefined for --help. */
export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions | undefined {
  let messages = 10_000;
  let seed = 1;
  let servers: readonly ServerName[] = SERVER_NAMES;
  let areas: readonly Area[] = AREAS;
  let idle: number | undefined;
  let mixedSeconds = 5;
  let idleMemCapMb = 4096;
  let downloadMb = 128;
  let logins = 50;
  const uid = process.getuid?.() ?? 0;
  let cacheDir =
    env.COURIER_TS_BENCH_DIR ??
    (uid === 0 ? '/var/tmp/courier-ts-bench' : `/var/tmp/courier-ts-bench-${uid}`);
  let outDir = resolve(repoRoot, 'bench-results');
  let keep = false;
  let runs = 1;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '-h':
      case '--help':
        return undefined;
      case '--messages':
        messages = int(next(), a, 1, 1_000_000);
        break;
      case '--large':
        messages = 100_000;
        break;
      case '--seed':
        seed = int(next(), a, 0, 2 ** 31);
        break;
      case '--servers':
        servers = list(next(), SERVER_NAMES, a);
        break;
      case '--only':
        areas = list(next(), AREAS, a);
        break;
      case '--idle':
        idle = int(next(), a, 1, 5000);
        break;
      case '--idle-mem-mb':
        idleMemCapMb = int(next(), a, 16, 1_000_000);
        break;
      case '--mixed-seconds':
        mixedSeconds = int(next(), a, 1, 600);
        break;
      case '--download-mb':
        downloadMb = int(next(), a, 1, 100_000);
        break;
      case '--logins':
        logins = int(next(), a, 1, 100_000);
        break;
      case '--cache-dir':
        cacheDir = resolve(next());
        break;
      case '--out':
        outDir = resolve(next());
        break;
      case '--keep':
        keep = true;
        break;
      case '--runs':
        runs = int(next(), a, 1, 9);
        break;
      default:
        throw new UsageError(`unknown argument ${a}`);
    }
  }
  return {
    messages,
    seed,
    servers,
    areas,
    idleConnections: idle ?? 1000,
    idleMemCapMb,
    mixedSeconds,
    downloadBytes: downloadMb * 1024 * 1024,
    logins,
    cacheDir,
    outDir,
    keep,
    runs,
  };
}
