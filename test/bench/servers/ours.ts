// courier-ts itself, run as an admin runs it: `bin/imapd run --config-dir DIR` and `bin/pop3d run
// --config-dir DIR` against a generated Courier-format config dir and userdb (test/support/config-dir.ts),
// serving a work copy of the bench maildir owned by the test mail user. A server that is not built yet
// is reported per protocol ("not built yet") and the rest of the bench goes on.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { IDLE_COLLECTOR_DEFAULTS } from '@courier-ts/runtime';
import { TEST_PASSWORD, TEST_USER, writeConfigDir } from '../../support/config-dir.js';
import { binPath } from '../../support/paths.js';
import { MISSING_PATTERN } from '../../support/server.js';
import { makeSelfSignedPem } from '../../support/tls.js';
import { mailUser } from '../../support/users.js';
import { workCopy } from '../maildir-cache.js';
import { pidMatches } from '../proc.js';
import { freePorts, pickPorts, waitListening } from './ports.js';
import { type BenchServer, type Endpoint, lastLines, type Protocol, type StartResult } from './server.js';

const LIMITS = ['MAXDAEMONS=2000', 'MAXPERIP=2000'];
/** What a server that could not bind its port says on the way out. */
const BIND_FAILED = /cannot listen|EADDRINUSE|address already in use/i;

/** The processes that collect their garbage when idle, and the text of their log line. */
type Collector = 'worker' | 'server';
const COLLECTED: Record<Collector, string> = {
  worker: 'idle session worker collected its garbage',
  server: 'idle server process collected its garbage',
};

interface Child {
  readonly proc: ChildProcess;
  exited: boolean;
  /** "spare session worker ready" lines so far: the first at start, another ~20 s after each takeover. */
  sparesReady: number;
  onSpareReady?: () => void;
  /** "collected its garbage" lines so far (idle-gc.ts): session workers', the listening process's. */
  collections: Record<Collector, number>;
  onCollected?: () => void;
}

/** Kill what a previous, interrupted run of ours left behind (pids recorded with their config dir). */
async function killLeftovers(pidFile: string, etc: string): Promise<void> {
  const pids = (await readFile(pidFile, 'utf8').catch(() => '')).split(/\s+/).filter(Boolean).map(Number);
  for (const pid of pids) {
    if (await pidMatches(pid, etc)) process.kill(pid, 'SIGKILL');
  }
  await rm(pidFile, { force: true });
}

async function startOne(
  kind: 'imapd' | 'pop3d',
  etc: string,
  port: number,
  logFile: string,
): Promise<Child | string> {
  // Node arguments for profiling our servers (e.g. `--cpu-prof`, `--trace-deopt`); their session
  // workers inherit them. Not set by the bench itself. Run in the directory of the server's log, where
  // what such flags write by default (V8's isolate-*-v8.log, CPU profiles) then lands, not in the
  // repository.
  const nodeArgs = (process.env.CTS_BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const proc = spawn(process.execPath, [...nodeArgs, binPath(kind), 'run', '--config-dir', etc], {
    cwd: dirname(logFile),
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      TZ: 'UTC',
      LANG: 'C.UTF-8',
      HOSTNAME: 'bench.courier-ts.test',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const child: Child = { proc, exited: false, sparesReady: 0, collections: { worker: 0, server: 0 } };
  const log = createWriteStream(logFile);
  let head = '';
  const grab = (b: Buffer): void => {
    if (head.length < 4000) head += b.toString('utf8');
    if (b.includes('spare session worker ready')) {
      child.sparesReady++;
      child.onSpareReady?.();
    }
    for (const [k, text] of Object.entries(COLLECTED) as [Collector, string][]) {
      if (!b.includes(text)) continue;
      child.collections[k]++;
      child.onCollected?.();
    }
  };
  proc.stdout?.on('data', grab).pipe(log, { end: false });
  proc.stderr?.on('data', grab).pipe(log, { end: false });
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  void exited.then(() => {
    child.exited = true;
  });
  proc.once('close', () => log.end());
  const up = await waitListening(port, Date.now() + 20_000, () => !child.exited);
  if (up && !child.exited) {
    // As a server that has been up a while: as root, its spare session worker warmed up (a few
    // seconds), as the others' processes are ready once they listen. Not waited for more than 15 s.
    if (process.getuid?.() === 0)
      await Promise.race([spareAtLeast(child, 1), exited, new Promise((r) => setTimeout(r, 15_000))]);
    return child;
  }
  if (!child.exited) proc.kill('SIGKILL');
  await exited;
  if (MISSING_PATTERN.test(head) || head.trim() === '')
    return `not built yet (${lastLines(head, 1) || `${kind} exited`})`;
  return `failed to start: ${lastLines(head)}`;
}

/** Resolves once `c` logs its next idle collection, or after `ms`. */
/** Resolves at the next collection of each process kind, or after `ms` for a kind that makes none. */
function nextCollections(c: Child, ms: number): Promise<void> {
  const seen = { ...c.collections };
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    c.onCollected = () => {
      if (c.collections.worker === seen.worker || c.collections.server === seen.server) return;
      clearTimeout(timer);
      resolve();
    };
  });
}

/** Resolves once `c` has logged `n` ready spares. */
function spareAtLeast(c: Child, n: number): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (c.sparesReady >= n) resolve();
    };
    c.onSpareReady = check;
    check();
  });
}

async function stopChild(c: Child): Promise<void> {
  if (c.exited) return;
  const done = new Promise<void>((r) => c.proc.once('exit', () => r()));
  c.proc.kill('SIGTERM');
  const t = setTimeout(() => c.proc.kill('SIGKILL'), 10_000);
  await done;
  clearTimeout(t);
}

export async function startOurs(o: {
  readonly cacheDir: string;
  readonly pristine: string;
}): Promise<StartResult> {
  const name = 'courier-ts' as const;
  const base = join(o.cacheDir, 'courier-ts');
  const etc = join(base, 'etc');
  const pidFile = join(base, 'pids');
  const children: Child[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(children.map(stopChild));
    await rm(pidFile, { force: true });
  };
  try {
    await killLeftovers(pidFile, etc);
    await rm(base, { recursive: true, force: true });
    await mkdir(etc, { recursive: true, mode: 0o755 });
    const user = mailUser();
    await mkdir(join(base, 'home'), { mode: 0o755 });
    const home = join(base, 'home', TEST_USER);
    await mkdir(home, { mode: 0o700 });
    await chown(home, user.uid, user.gid);
    const maildir = join(home, 'Maildir');
    await workCopy(o.pristine, maildir, user);
    const ports = await pickPorts([16143, 16993, 16110, 16995], 16000);
    const certFile = await makeSelfSignedPem(etc, 'server');
    const configure = (): Promise<void> =>
      writeConfigDir({
        dir: etc,
        ports: { imap: ports[0]!, imaps: ports[1]!, pop3: ports[2]!, pop3s: ports[3]! },
        certFile,
        accounts: [{ name: TEST_USER, uid: user.uid, gid: user.gid, home, maildir }],
        extra: { imapd: LIMITS, pop3d: LIMITS },
        // The servers' default (as root): a warmed-up spare session worker.
        spareWorker: true,
      });
    await configure();
    const endpoints: Partial<Record<Protocol, Endpoint>> = {};
    const unavailable: Partial<Record<Protocol, string>> = {};
    const procs: Partial<Record<Protocol, Child>> = {};
    for (const [protocol, kind, at] of [
      ['imap', 'imapd', 0],
      ['pop3', 'pop3d', 2],
    ] as const) {
      let r = await startOne(kind, etc, ports[at]!, join(base, `${kind}.log`));
      // A port found free a moment ago can be taken meanwhile (seen once): other ports, again.
      for (let retry = 0; retry < 2 && typeof r === 'string' && BIND_FAILED.test(r); retry++) {
        [ports[at], ports[at + 1]] = await freePorts(2, 16000);
        await configure();
        r = await startOne(kind, etc, ports[at]!, join(base, `${kind}.log`));
      }
      if (typeof r === 'string') {
        unavailable[protocol] = `${kind}: ${r}`;
        continue;
      }
      children.push(r);
      procs[protocol] = r;
      endpoints[protocol] = { host: '127.0.0.1', port: ports[at]!, user: TEST_USER, pass: TEST_PASSWORD };
      await writeFile(pidFile, `${children.map((c) => c.proc.pid).join(' ')}\n`);
    }
    const server: BenchServer = {
      name,
      endpoints,
      unavailable,
      maildir,
      description: `courier-ts (this tree), bin/imapd + bin/pop3d run on Node ${process.version}; logs in ${base}`,
      async pids(protocol) {
        const c = procs[protocol];
        return c?.proc.pid !== undefined && !c.exited ? [c.proc.pid] : [];
      },
      // The account's first login took the spare; its replacement is forked and warmed ~20 s later.
      // A server up a while has it ready: wait for it (<= 45 s) rather than count it in a measure.
      async settle(protocol) {
        const c = procs[protocol];
        if (!c || c.exited || process.getuid?.() !== 0) return;
        await Promise.race([spareAtLeast(c, 2), new Promise((r) => setTimeout(r, 45_000).unref())]);
      },
      // The session worker and the listening process keep the garbage of earlier measures until they
      // have been quiet for a minute (idle-gc.ts); until then a collection can fall in the middle of
      // a memory measure.
      async settleMemory(protocol) {
        await this.settle?.(protocol);
        const c = procs[protocol];
        if (!c || c.exited || process.getuid?.() !== 0) return;
        await nextCollections(c, IDLE_COLLECTOR_DEFAULTS.quietMs + 5000);
      },
      stop,
    };
    return server;
  } catch (err) {
    await stop();
    return { name, failed: `setup failed: ${(err as Error).message}` };
  }
}
