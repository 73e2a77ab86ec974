// Benchmark: open a large folder (default 100,000 messages) cold and warm, with the memory it
// takes, next to Courier's imapd SELECT on the same maildir. Reports ratios; asserts nothing.
//
//   node test/dist/bench/maildir-open.js [--messages 100000] [--maildir PATH] [--keep]
//        [--dovecot-root ROOT [--dovecot-user bench]]   (a running ../shared/tools/dovecot-private)
//
// Without --maildir a tree is generated with ../shared/tools/mkmaildir.py (--no-large) in a
// temp dir. "cold" = no courierimapuiddb, no courier-ts.cache (first open ever); "warm" =
// second open. Each measurement runs in a fresh process.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { openMaildir } from '@courier-ts/maildir';
import { sharedToolsDir } from '../support/paths.js';

const SELF = fileURLToPath(import.meta.url);

interface Sample {
  readonly ms: number;
  /** Peak resident set size. */
  readonly rssKb: number;
  readonly messages: number;
  /** Live JS heap after open and a full GC (ours only). */
  readonly heapMb?: number;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function child(path: string, details: 'eager' | 'lazy'): Promise<void> {
  const t0 = performance.now();
  const f = await (await openMaildir(path)).openFolder('INBOX', { details });
  const ms = performance.now() - t0;
  const n = f.messages.length;
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapMb = Math.round(process.memoryUsage().heapUsed / 1048576);
  await f.close();
  const rssKb = Math.round(process.resourceUsage().maxRSS);
  process.stdout.write(JSON.stringify({ ms, rssKb, messages: n, heapMb }));
}

function resetState(path: string): void {
  for (const f of ['courierimapuiddb', 'courier-ts.cache', 'courierimapkeywords']) {
    spawnSync('rm', ['-rf', join(path, f)]);
  }
}

function ours(path: string, details: 'eager' | 'lazy' = 'eager'): Sample {
  const r = spawnSync(process.execPath, ['--expose-gc', SELF, '--child', path, details], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as Sample;
}

function courier(path: string): Sample | undefined {
  if (!existsSync('/usr/bin/imapd') || !existsSync('/usr/bin/time')) return undefined;
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', '/usr/bin/imapd', path], {
    input: 'a SELECT INBOX\r\na LOGOUT\r\n',
    env: { PATH: '/usr/bin:/bin', AUTHENTICATED: 'bench', IMAP_KEYWORDS: '1' },
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  const ms = performance.now() - t0;
  const m = /\* (\d+) EXISTS/.exec(r.stdout);
  const rssKb = Number(r.stderr.trim().split('\n').pop());
  return { ms, rssKb, messages: m ? Number(m[1]) : -1 };
}

/**
 * Dovecot 2.3 through ../shared/tools/dovecot-private (already set up and started by the caller,
 * `--dovecot-root ROOT`): `doveadm mailbox status` on a copy of the maildir, cold (no index) and
 * warm (index built).
 */
function dovecot(
  path: string,
  root: string | undefined,
  user: string,
): [Sample | undefined, Sample | undefined] {
  if (!root) return [undefined, undefined];
  const tool = join(sharedToolsDir, 'dovecot-private');
  const env = { ...process.env, DOVECOT_PRIVATE_ROOT: root };
  const target = join(root, 'home', user, 'Maildir');
  spawnSync('rm', ['-rf', target]);
  spawnSync('cp', ['-a', path, target]);
  resetState(target);
  spawnSync('chown', ['-R', '20143:20143', join(root, 'home', user)]);
  const once = (): Sample | undefined => {
    const t0 = performance.now();
    const r = spawnSync(
      tool,
      [
        'exec',
        '/usr/bin/time',
        '-f',
        '%M',
        'doveadm',
        '-c',
        join(root, 'etc', 'dovecot.conf'),
        'mailbox',
        'status',
        '-u',
        user,
        'messages',
        'INBOX',
      ],
      { env, encoding: 'utf8' },
    );
    const ms = performance.now() - t0;
    const m = /messages=(\d+)/.exec(r.stdout);
    if (!m) return undefined;
    return { ms, rssKb: Number(r.stderr.trim().split('\n').pop()), messages: Number(m[1]) };
  };
  const cold = once();
  return [cold, once()];
}

function fmt(s: Sample | undefined): string {
  if (!s) return '   not measured';
  const heap = s.heapMb === undefined ? '' : `, live heap ${s.heapMb} MB`;
  const rss = String(Math.round(s.rssKb / 1024)).padStart(6);
  return `${s.ms.toFixed(0).padStart(8)} ms ${rss} MB peak RSS  (${s.messages} msgs${heap})`;
}

function ratio(a: Sample | undefined, b: Sample | undefined): string {
  if (!a || !b) return '-';
  return `time x${(a.ms / b.ms).toFixed(2)}, peak RSS x${(a.rssKb / b.rssKb).toFixed(2)}`;
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child')
    return child(process.argv[3]!, process.argv[4] === 'lazy' ? 'lazy' : 'eager');
  const messages = Number(arg('--messages') ?? '100000');
  let path = arg('--maildir');
  let temp: string | undefined;
  if (!path) {
    temp = await mkdtemp(join(tmpdir(), 'maildir-bench-'));
    path = join(temp, 'Maildir');
    const gen = spawnSync(
      'python3',
      [
        join(sharedToolsDir, 'mkmaildir.py'),
        path,
        '--messages',
        String(messages),
        '--no-large',
        '--folder-scale',
        '0.1',
      ],
      { stdio: 'inherit' },
    );
    if (gen.status !== 0) throw new Error('mkmaildir.py failed');
  }
  try {
    resetState(path);
    const lazyCold = ours(path, 'lazy');
    resetState(path);
    const oursCold = ours(path);
    await sleep(2500); // let the directory mtimes age, so the warm session leaves a snapshot
    const oursWarm = ours(path);
    const oursSnap = ours(path);
    resetState(path);
    const courierCold = courier(path);
    const courierWarm = courier(path);
    const [dovecotCold, dovecotWarm] = dovecot(path, arg('--dovecot-root'), arg('--dovecot-user') ?? 'bench');
    const lines = [
      `maildir-open: INBOX of ${path}`,
      `  courier-ts cold  ${fmt(oursCold)}   (details: eager, reads every file once)`,
      `  courier-ts cold  ${fmt(lazyCold)}   (details: lazy)`,
      `  courier-ts warm  ${fmt(oursWarm)}   (uiddb + readdir + our cache)`,
      `  courier-ts warm  ${fmt(oursSnap)}   (unchanged folder: our snapshot)`,
      `  Courier    cold  ${fmt(courierCold)}`,
      `  Courier    warm  ${fmt(courierWarm)}`,
      `  Dovecot    cold  ${fmt(dovecotCold)}   (doveadm mailbox status; --dovecot-root)`,
      `  Dovecot    warm  ${fmt(dovecotWarm)}`,
      `  ratio ours/Courier cold: ${ratio(oursCold, courierCold)} (eager), ${ratio(lazyCold, courierCold)} (lazy)`,
      `  ratio ours/Courier warm: ${ratio(oursWarm, courierWarm)} (scan), ${ratio(oursSnap, courierWarm)} (snapshot)`,
      `  ratio ours/Dovecot cold: ${ratio(lazyCold, dovecotCold)} (lazy), warm: ${ratio(oursSnap, dovecotWarm)} (snapshot)`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    if (temp && !process.argv.includes('--keep')) await rm(temp, { recursive: true, force: true });
  }
}

await main();
