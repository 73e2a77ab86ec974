// Maildir: open INBOX of a fresh copy cold (no state of the server's own yet) and warm (second open,
// new process), and the memory of the process that opened it. courier-ts through the maildir package
// API (test/bench/maildir-open.ts --child, the maildir developer's probe); Courier and Dovecot through
// their IMAP binaries run pre-authenticated on the copy (SELECT INBOX timed from command to reply).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { repoRoot, sharedToolsDir } from '../../support/paths.js';
import { workCopy } from '../maildir-cache.js';
import type { ServerName } from '../options.js';
import type { MeasureDef, Results } from '../results.js';
import { type OpenSample, type PreauthCommand, preauthOpen } from './preauth-open.js';

const run = promisify(execFile);

const DEFS = {
  cold: { key: 'open_cold', label: 'open INBOX, cold (no server state yet)', unit: 'ms', better: 'lower' },
  eager: {
    key: 'open_cold_eager',
    label: 'open INBOX, cold, every file measured (courier-ts only)',
    unit: 'ms',
    better: 'lower',
  },
  warm: {
    key: 'open_warm',
    label: 'open INBOX, warm (second open, new process)',
    unit: 'ms',
    better: 'lower',
  },
  rss: { key: 'open_rss', label: 'max RSS of the process after the warm open', unit: 'KB', better: 'lower' },
  delta: {
    key: 'open_delta',
    label: 'max RSS above the same process without an open',
    unit: 'KB',
    better: 'lower',
  },
} as const satisfies Record<string, MeasureDef>;

interface Opener {
  open(): Promise<OpenSample>;
  /** courier-ts only: a cold open with `details: 'eager'` on a fresh copy (the copy is renewed after). */
  openEager?(): Promise<OpenSample>;
  baseline(): Promise<number>;
}

const PROBE = join(dirname(fileURLToPath(import.meta.url)), '..', 'maildir-open.js');

function ours(path: string, renew: () => Promise<void>): Opener {
  const probe = async (...extra: string[]): Promise<OpenSample> => {
    if (!existsSync(PROBE)) throw new Error('test/bench/maildir-open.ts not built');
    const { stdout } = await run(process.execPath, [PROBE, '--child', path, ...extra], {
      cwd: repoRoot,
      timeout: 600_000,
      maxBuffer: 1 << 20,
    });
    return JSON.parse(stdout) as OpenSample;
  };
  return {
    // As imapd's SELECT opens a folder: sizes and dates read when a command needs them.
    open: () => probe('lazy'),
    async openEager() {
      try {
        return await probe();
      } finally {
        await renew();
      }
    },
    async baseline() {
      const code =
        "await import('@courier-ts/maildir'); process.stdout.write(String(process.resourceUsage().maxRSS));";
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', code], {
        cwd: repoRoot,
        timeout: 60_000,
      });
      return Number(stdout);
    },
  };
}

function viaPreauth(cmd: PreauthCommand): Opener {
  return {
    open: () => preauthOpen(cmd, true),
    baseline: async () => (await preauthOpen(cmd, false)).rssKb,
  };
}

async function uidOf(user: string): Promise<{ uid: number; gid: number } | undefined> {
  try {
    const uid = Number((await run('id', ['-u', user])).stdout.trim());
    const gid = Number((await run('id', ['-g', user])).stdout.trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}

async function opener(server: ServerName, home: string, pristine: string, cacheDir: string): Promise<Opener> {
  const maildir = join(home, 'Maildir');
  const me = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
  if (server === 'courier-ts') {
    const renew = () => workCopy(pristine, maildir, me);
    await renew();
    return ours(maildir, renew);
  }
  if (process.getuid?.() !== 0) throw new Error('needs root');
  if (server === 'courier') {
    if (!existsSync('/usr/bin/imapd') || !existsSync('/usr/bin/time'))
      throw new Error('Courier imapd or GNU time not installed');
    const owner = (await uidOf('vmail')) ?? (await uidOf('nobody'));
    if (!owner) throw new Error('no vmail/nobody account');
    await workCopy(pristine, maildir, owner);
    return viaPreauth({
      command: '/usr/bin/time',
      args: ['-f', '%M', '/usr/bin/imapd', maildir],
      env: {
        PATH: '/usr/bin:/bin',
        AUTHENTICATED: 'bench',
        IMAP_KEYWORDS: '1',
        TZ: 'UTC',
        HOSTNAME: 'bench.test',
      },
      cwd: maildir,
      ...owner,
    });
  }
  const root = join(cacheDir, 'dovecot');
  if (!existsSync(join(root, 'pkg', 'usr', 'lib', 'dovecot', 'imap')))
    throw new Error('Dovecot not set up (dovecot-private setup failed?)');
  await workCopy(pristine, maildir, { uid: 20143, gid: 20143 });
  await run('chown', ['20143:20143', home]);
  return viaPreauth({
    command: 'bash',
    args: [
      join(sharedToolsDir, 'dovecot-private'),
      'exec',
      'setpriv',
      '--reuid=20143',
      '--regid=20143',
      '--clear-groups',
      'env',
      '-i',
      'PATH=/usr/bin:/bin',
      'USER=benchopen',
      `HOME=${home}`,
      '/usr/bin/time',
      '-f',
      '%M',
      '/usr/lib/dovecot/imap',
      '-c',
      join(root, 'etc', 'dovecot.conf'),
    ],
    env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', DOVECOT_PRIVATE_ROOT: root },
  });
}

export async function measureMaildir(
  servers: readonly ServerName[],
  pristine: string,
  cacheDir: string,
  results: Results,
): Promise<void> {
  const area = 'maildir';
  for (const d of Object.values(DEFS)) results.define(area, d);
  results.note(
    area,
    'courier-ts: openMaildir().openFolder("INBOX", { details: "lazy" }) through the maildir package API, as imapd SELECT opens it (maildir-open.ts --child); ' +
      'Courier and Dovecot: SELECT INBOX in their IMAP binary run pre-authenticated on stdio. ' +
      'Memory is the whole process (Node.js itself is about 40-50 MB of it). The OS page cache is warm for all.',
  );
  for (const server of servers) {
    const home = join(cacheDir, 'maildir-open', server);
    try {
      await rm(home, { recursive: true, force: true });
      await mkdir(home, { recursive: true, mode: 0o755 });
      const o = await opener(server, home, pristine, cacheDir);
      const eager = o.openEager;
      if (eager) {
        await results.measure(area, DEFS.eager, server, async () => {
          const s = await eager();
          return { value: s.ms, detail: { ...s } };
        });
      }
      const cold = await results.measure(area, DEFS.cold, server, async () => {
        const s = await o.open();
        return { value: s.ms, detail: { ...s } };
      });
      if (cold.value === null) continue;
      let warm: OpenSample | undefined;
      await results.measure(area, DEFS.warm, server, async () => {
        warm = await o.open();
        return { value: warm.ms, detail: { ...warm } };
      });
      if (!warm) continue;
      const w = warm;
      await results.measure(area, DEFS.rss, server, async () => w.rssKb);
      await results.measure(area, DEFS.delta, server, async () => {
        const base = await o.baseline();
        return { value: w.rssKb - base, detail: { baselineKb: base } };
      });
    } catch (err) {
      results.set(area, DEFS.cold.key, server, { value: null, note: (err as Error).message.slice(0, 200) });
    } finally {
      await rm(home, { recursive: true, force: true }).catch(() => undefined);
    }
  }
}
