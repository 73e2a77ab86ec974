// Dovecot 2.3 (Debian's, not installed) through ../shared/tools/dovecot-private, with its own root
// under the bench cache dir; the bench maildir goes to ~bench/Maildir, owned by DOVECOT_MAIL_UID.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sharedToolsDir } from '../../support/paths.js';
import { workCopy } from '../maildir-cache.js';
import { pickPorts } from './ports.js';
import { type BenchServer, lastLines, type StartResult } from './server.js';
import { runTool } from './tool.js';

const run = promisify(execFile);
const MAIL_UID = 20143;

export async function startDovecot(o: {
  readonly cacheDir: string;
  readonly pristine: string;
  readonly say: (s: string) => void;
}): Promise<StartResult> {
  const name = 'dovecot' as const;
  const script = join(sharedToolsDir, 'dovecot-private');
  if (!existsSync(script)) return { name, failed: 'dovecot-private not found next to the clone' };
  if (process.getuid?.() !== 0) return { name, failed: 'dovecot-private needs root' };
  const root = join(o.cacheDir, 'dovecot');
  const [imap, pop3] = await pickPorts([17143, 17110], 17000);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DOVECOT_PRIVATE_ROOT: root,
    DOVECOT_IMAP_PORT: String(imap),
    DOVECOT_POP3_PORT: String(pop3),
    DOVECOT_MAIL_UID: String(MAIL_UID),
  };
  const log = join(o.cacheDir, 'dovecot-private.log');
  const tool = async (args: string[], timeoutMs = 120_000): Promise<string> => {
    const r = await runTool('bash', [script, ...args], { env, log, timeoutMs });
    if (r.code !== 0)
      throw new Error(`dovecot-private ${args[0]} failed (exit ${r.code}): ${lastLines(r.output)}`);
    return r.output;
  };
  const stop = async (): Promise<void> => {
    await tool(['stop']).catch(() => undefined);
  };
  try {
    await stop();
    const conf = await readFile(join(root, 'etc', 'dovecot.conf'), 'utf8').catch(() => '');
    const configured =
      existsSync(join(root, 'pkg', 'usr', 'sbin', 'dovecot')) &&
      conf.includes(`port = ${imap}\n`) &&
      conf.includes(`port = ${pop3}\n`);
    if (!configured) {
      o.say(
        'setting up Dovecot with dovecot-private (apt-get download of the dovecot debs; cached for later runs)',
      );
      await tool(['setup'], 900_000);
    }
    await tool(['adduser', 'bench', 'benchpass']);
    const maildir = join(root, 'home', 'bench', 'Maildir');
    await rm(maildir, { recursive: true, force: true });
    await workCopy(o.pristine, maildir, { uid: MAIL_UID, gid: MAIL_UID });
    try {
      await tool(['start']);
    } catch (err) {
      await stop();
      return { name, failed: (err as Error).message };
    }
    let version = 'Dovecot';
    try {
      const { stdout } = await run('bash', [script, 'exec', '/usr/sbin/dovecot', '--version'], {
        env,
        timeout: 30_000,
      });
      version = `Dovecot ${stdout.trim()} (Debian, dovecot-private)`;
    } catch {
      // the version only decorates the report
    }
    const server: BenchServer = {
      name,
      endpoints: {
        imap: { host: '127.0.0.1', port: imap!, user: 'bench', pass: 'benchpass' },
        pop3: { host: '127.0.0.1', port: pop3!, user: 'bench', pass: 'benchpass' },
      },
      unavailable: {},
      maildir,
      description: version,
      async pids() {
        const n = Number((await readFile(join(root, 'run', 'master.pid'), 'utf8').catch(() => '')).trim());
        return Number.isInteger(n) && n > 0 ? [n] : [];
      },
      stop,
    };
    return server;
  } catch (err) {
    await stop();
    return { name, failed: `setup failed: ${(err as Error).message}` };
  }
}
