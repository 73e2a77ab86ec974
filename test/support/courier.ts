// Driver for the REAL Courier (Debian 12 packages) through ../shared/tools/courier-reference:
// a private network instance (authdaemond + imapd + pop3d + TLS variants) in a temp DIR on ports in
// 13000-13999 (other developers use 10xxx-12xxx), `authtest` inside it, and Courier's imapd /
// courierpop3d run pre-authenticated on stdin/stdout against a given maildir (golden output with no
// network at all).
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createMaildir, type MaildirOptions } from './maildir-fixture.js';
import { courierReferencePath } from './paths.js';
import { type StdioSession, spawnStdio } from './stdio.js';
import { makeTempDir } from './tmp.js';
import { isRoot, type MailUser, mailUser } from './users.js';

const run = promisify(execFile);

export const COURIER_IMAPD = '/usr/bin/imapd';
export const COURIER_POP3D = '/usr/lib/courier/courier/courierpop3d';

export type CourierAvailability = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Whether the real Courier can be driven here (root, packages installed, courier-reference present). */
export function courierAvailability(needNetwork = true): CourierAvailability {
  if (!existsSync(COURIER_IMAPD) || !existsSync(COURIER_POP3D)) {
    return { ok: false, reason: 'real Courier not installed (run `courier-reference install` as root)' };
  }
  if (!needNetwork) return { ok: true };
  if (!isRoot()) return { ok: false, reason: 'the real Courier network instance needs root' };
  if (!courierReferencePath()) return { ok: false, reason: 'courier-reference not found next to the clone' };
  return { ok: true };
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** Four distinct free ports in 13000-13999, preferring 13143/13110/13993/13995. */
async function pickPorts(
  preferred: boolean,
): Promise<{ imap: number; pop3: number; imaps: number; pop3s: number }> {
  const wanted = [13143, 13110, 13993, 13995];
  if (preferred && (await Promise.all(wanted.map(portFree))).every(Boolean)) {
    return { imap: 13143, pop3: 13110, imaps: 13993, pop3s: 13995 };
  }
  const got: number[] = [];
  for (let tries = 0; got.length < 4 && tries < 400; tries++) {
    const p = 13000 + Math.floor(Math.random() * 1000);
    if (!got.includes(p) && (await portFree(p))) got.push(p);
  }
  if (got.length < 4) throw new Error('no free ports in 13000-13999 for the Courier reference instance');
  return { imap: got[0]!, pop3: got[1]!, imaps: got[2]!, pop3s: got[3]! };
}

const PORT_LOCK = join(tmpdir(), 'courier-ts-ref-ports.lock');

/**
 * Test files run in parallel and each may start an instance: picking ports and starting (until the
 * listeners are bound) happens under a cross-process lock (an atomic mkdir; stale after 90 s).
 */
async function withPortLock<T>(fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      await mkdir(PORT_LOCK);
      break;
    } catch {
      const st = await stat(PORT_LOCK).catch(() => undefined);
      if (st && Date.now() - st.mtimeMs > 90_000) await rm(PORT_LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`could not take ${PORT_LOCK} in time`);
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(PORT_LOCK, { recursive: true, force: true });
  }
}

/** Did any of the instance's listeners fail to bind (another process took the port)? */
async function bindFailed(dir: string): Promise<boolean> {
  for (const n of ['imapd', 'imapd-ssl', 'pop3d', 'pop3d-ssl']) {
    const text = await readFile(join(dir, 'log', `${n}.log`), 'utf8').catch(() => '');
    if (/Address already in use/.test(text)) return true;
  }
  return false;
}

export interface CourierExtraConfig {
  readonly imapd?: readonly string[];
  readonly 'imapd-ssl'?: readonly string[];
  readonly pop3d?: readonly string[];
  readonly 'pop3d-ssl'?: readonly string[];
  readonly authdaemonrc?: readonly string[];
}

export interface CourierInstance {
  readonly dir: string;
  readonly ports: {
    readonly imap: number;
    readonly pop3: number;
    readonly imaps: number;
    readonly pop3s: number;
  };
  readonly user: string;
  readonly password: string;
  readonly maildir: string;
  readonly owner: MailUser;
  /** Replace the test account's maildir with a fresh one (fixture or generated). */
  resetMaildir(options?: Omit<MaildirOptions, 'owner'>): Promise<void>;
  /** Run a command inside the instance (its /etc/courier and authdaemon socket). */
  exec(args: readonly string[]): Promise<{ stdout: string; stderr: string; code: number }>;
  /** Courier's log lines so far (all daemons). */
  logs(): Promise<string>;
  stop(): Promise<void>;
}

function script(): string {
  const p = courierReferencePath();
  if (!p) throw new Error('courier-reference not found');
  return p;
}

/** Start a private Courier instance; always `stop()` it (e.g. in `after`). */
export async function startCourier(extra: CourierExtraConfig = {}): Promise<CourierInstance> {
  const tmp = await makeTempDir('courier-ts-ref-');
  const dir = join(tmp.path, 'ref');
  const owner = mailUser();
  let ports = { imap: 0, pop3: 0, imaps: 0, pop3s: 0 };
  let env: NodeJS.ProcessEnv = {};
  // other processes may take the same ports between the check and the bind: retry on other ports
  for (let attempt = 1; ; attempt++) {
    let failure: string | undefined;
    await withPortLock(async () => {
      ports = await pickPorts(attempt === 1);
      env = {
        ...process.env,
        COURIER_REF_ADDRESS: '127.0.0.1',
        COURIER_REF_IMAP_PORT: String(ports.imap),
        COURIER_REF_POP3_PORT: String(ports.pop3),
        COURIER_REF_IMAPS_PORT: String(ports.imaps),
        COURIER_REF_POP3S_PORT: String(ports.pop3s),
        COURIER_REF_VMAIL_USER: owner.name,
        COURIER_REF_IMAPD_EXTRA: (extra.imapd ?? []).join('\n'),
        COURIER_REF_IMAPD_SSL_EXTRA: (extra['imapd-ssl'] ?? []).join('\n'),
        COURIER_REF_POP3D_EXTRA: (extra.pop3d ?? []).join('\n'),
        COURIER_REF_POP3D_SSL_EXTRA: (extra['pop3d-ssl'] ?? []).join('\n'),
        COURIER_REF_AUTHDAEMONRC_EXTRA: (extra.authdaemonrc ?? []).join('\n'),
      };
      try {
        await run('bash', [script(), 'start', dir], { env, timeout: 60_000 });
        if (await bindFailed(dir)) failure = 'already in use (bind failed after start)';
      } catch (err) {
        const e = err as { stderr?: string; message: string };
        failure = e.stderr || e.message;
      }
    });
    if (failure === undefined) break;
    await run('bash', [script(), 'stop', dir], { env }).catch(() => undefined);
    await rm(join(dir, 'log'), { recursive: true, force: true });
    if (attempt < 5 && /already in use/.test(failure)) continue;
    await tmp.dispose();
    throw new Error(`courier-reference start failed: ${failure}`);
  }
  const settings = Object.fromEntries(
    (await readFile(join(dir, 'env'), 'utf8'))
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  const maildir = settings.COURIER_REF_MAILDIR ?? join(dir, 'home', 'testuser', 'Maildir');
  let stopped = false;
  return {
    dir,
    ports,
    user: settings.COURIER_REF_USER ?? 'testuser',
    password: settings.COURIER_REF_PASS ?? 'testpass',
    maildir,
    owner,
    async resetMaildir(options = {}) {
      await rm(maildir, { recursive: true, force: true });
      await createMaildir(maildir, { ...options, owner, useOurMaildirmake: false });
    },
    async exec(args) {
      try {
        const r = await run('bash', [script(), 'exec', dir, ...args], { env, timeout: 30_000 });
        return { stdout: r.stdout, stderr: r.stderr, code: 0 };
      } catch (err) {
        const e = err as { stdout?: string; stderr?: string; code?: number };
        return {
          stdout: e.stdout ?? '',
          stderr: e.stderr ?? '',
          code: typeof e.code === 'number' ? e.code : 1,
        };
      }
    },
    async logs() {
      const logDir = join(dir, 'log');
      const names = (await readdir(logDir)).sort();
      const parts = await Promise.all(
        names.map(async (n) => `== ${n}\n${await readFile(join(logDir, n), 'utf8')}`),
      );
      return parts.join('\n');
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await run('bash', [script(), 'stop', dir], { env, timeout: 60_000 }).catch(() => undefined);
      await tmp.dispose();
    },
  };
}

export interface CourierPreauthOptions {
  readonly kind: 'imapd' | 'pop3d';
  readonly maildir: string;
  /** Settings for the session (AUTHENTICATED, IMAP_KEYWORDS, IMAP_CAPABILITY, UTF8, ...). */
  readonly env?: NodeJS.ProcessEnv;
  readonly uid?: number;
  readonly gid?: number;
}

/**
 * What the binaries need, found by trying (Courier-IMAP 5.0.13):
 * - AUTHENTICATED: the login name (log lines, ACL identity); unset, the logs say user=root / nobody.
 * - The maildir must belong to the uid running imapd (IMAP_MAILBOX_SANITY_CHECK defaults on), else
 *   `* BYE [ALERT] Fatal error: Account's mailbox directory is not owned by the correct uid or gid`.
 * - IMAP_CAPABILITY unset gives `* CAPABILITY IMAP4rev1 ENABLE UTF8=ACCEPT`; IMAP_KEYWORDS unset means
 *   keywords off (no `\*` in PERMANENTFLAGS); ACLs (MYRIGHTS) are on without IMAP_ACL.
 * - HOSTNAME goes into new file names; TZ decides how INTERNALDATE is printed.
 * - Courier's RENAME and DELETE take about 2 s each (it sleeps), so folder scenarios are slow.
 *
 * Courier's own server binary on stdin/stdout, already logged in, as `MAILDIR=... /usr/bin/imapd`:
 * `* PREAUTH Ready.` (imapd) or `+OK logged in.` (courierpop3d) first. Settings come only from `env`
 * (plus PATH and, unless given, TZ=UTC and HOSTNAME=courier-ts.test); unset ones take the binary's
 * built-in defaults, not the stock config file's. As root, the session runs as the maildir's owner
 * unless uid/gid are given (Courier refuses a maildir not owned by the account: IMAP_MAILBOX_SANITY_CHECK).
 */
export function startCourierPreauth(o: CourierPreauthOptions): StdioSession {
  let ids: { uid?: number; gid?: number } = {};
  if (o.uid !== undefined) ids = { uid: o.uid, ...(o.gid !== undefined ? { gid: o.gid } : {}) };
  else if (isRoot()) {
    const st = statSync(o.maildir);
    ids = { uid: st.uid, gid: st.gid };
  }
  return spawnStdio({
    command: o.kind === 'imapd' ? COURIER_IMAPD : COURIER_POP3D,
    args: [o.maildir],
    env: {
      PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
      TZ: 'UTC',
      HOSTNAME: 'courier-ts.test',
      MAILDIR: o.maildir,
      ...o.env,
    },
    cwd: o.maildir,
    ...ids,
  });
}

/** Debian package versions of the Courier in use (for reports). */
export function courierVersions(): string {
  try {
    return execFileSync(
      'dpkg-query',
      ['-W', `-f=${'$'}{Package}=${'$'}{Version} `, 'courier-imap', 'courier-pop', 'courier-authdaemon'],
      {
        encoding: 'utf8',
      },
    ).trim();
  } catch {
    return 'not installed';
  }
}
