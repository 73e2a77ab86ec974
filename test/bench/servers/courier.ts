// The real Courier (Debian packages) through ../shared/tools/courier-reference, in a private instance
// under the bench cache dir, with the bench maildir in place of its test account's maildir (owned by
// its vmail user) and MAXDAEMONS/MAXPERIP raised for the concurrency and idle measures.
import { execFile } from 'node:child_process';
import { chmod, chown, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { courierReferencePath } from '../../support/paths.js';
import { workCopy } from '../maildir-cache.js';
import { pickPorts } from './ports.js';
import { type BenchServer, lastLines, type StartResult } from './server.js';
import { runTool } from './tool.js';

const run = promisify(execFile);
const VMAIL = 'vmail';
const LIMITS = 'MAXDAEMONS=2000\nMAXPERIP=2000';

async function ids(user: string): Promise<{ uid: number; gid: number }> {
  const get = async (flag: string) => Number((await run('id', [flag, user])).stdout.trim());
  try {
    return { uid: await get('-u'), gid: await get('-g') };
  } catch {
    // the same account courier-reference would create
    await run('useradd', [
      '-r',
      '-M',
      '-d',
      '/nonexistent',
      '-s',
      '/usr/sbin/nologin',
      '-c',
      'courier-reference maildir owner',
      user,
    ]);
    return { uid: await get('-u'), gid: await get('-g') };
  }
}

async function versions(): Promise<string> {
  try {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a dpkg-query format, not a template
    const { stdout } = await run('dpkg-query', ['-W', '-f=${Version}', 'courier-imap']);
    return `Courier-IMAP ${stdout.trim()} (Debian), courier-reference instance`;
  } catch {
    return 'Courier (version unknown)';
  }
}

export async function startCourier(o: {
  readonly cacheDir: string;
  readonly pristine: string;
}): Promise<StartResult> {
  const name = 'courier' as const;
  const script = courierReferencePath();
  if (!script) return { name, failed: 'courier-reference not found next to the clone' };
  if (process.getuid?.() !== 0) return { name, failed: 'the real Courier instance needs root' };
  const dir = join(o.cacheDir, 'courier');
  const [imap, pop3, imaps, pop3s] = await pickPorts([15143, 15110, 15993, 15995], 15000);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    COURIER_REF_ADDRESS: '127.0.0.1',
    COURIER_REF_IMAP_PORT: String(imap),
    COURIER_REF_POP3_PORT: String(pop3),
    COURIER_REF_IMAPS_PORT: String(imaps),
    COURIER_REF_POP3S_PORT: String(pop3s),
    COURIER_REF_VMAIL_USER: VMAIL,
    COURIER_REF_IMAPD_EXTRA: LIMITS,
    COURIER_REF_POP3D_EXTRA: LIMITS,
  };
  const log = join(o.cacheDir, 'courier-reference.log');
  const stop = async (): Promise<void> => {
    await runTool('bash', [script, 'stop', dir], { env, log, timeoutMs: 120_000 }).catch(() => undefined);
  };
  try {
    await stop(); // a previous run's instance, if any (found by its own pid file only)
    await mkdir(join(dir, 'home'), { recursive: true, mode: 0o755 });
    await chmod(dir, 0o755);
    const owner = await ids(VMAIL);
    const home = join(dir, 'home', 'testuser');
    await rm(home, { recursive: true, force: true });
    await mkdir(home, { mode: 0o700 });
    await chown(home, owner.uid, owner.gid);
    const maildir = join(home, 'Maildir');
    await workCopy(o.pristine, maildir, owner);
    const started = await runTool('bash', [script, 'start', dir], { env, log, timeoutMs: 120_000 });
    if (started.code !== 0) {
      await stop();
      return {
        name,
        failed: `courier-reference start failed (exit ${started.code}): ${lastLines(started.output)}`,
      };
    }
    const pidOf = async (file: string): Promise<number[]> => {
      const t = await readFile(join(dir, 'pids', file), 'utf8').catch(() => '');
      const n = Number(t.trim());
      return Number.isInteger(n) && n > 0 ? [n] : [];
    };
    const server: BenchServer = {
      name,
      endpoints: {
        imap: { host: '127.0.0.1', port: imap!, user: 'testuser', pass: 'testpass' },
        pop3: { host: '127.0.0.1', port: pop3!, user: 'testuser', pass: 'testpass' },
      },
      unavailable: {},
      maildir,
      description: await versions(),
      async pids(protocol) {
        return [
          ...(await pidOf(protocol === 'imap' ? 'imapd.pid' : 'pop3d.pid')),
          ...(await pidOf('authdaemond.pid')),
        ];
      },
      stop,
    };
    return server;
  } catch (err) {
    await stop();
    return { name, failed: `setup failed: ${(err as Error).message}` };
  }
}
