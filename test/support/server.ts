// Our servers as child processes, the way an admin runs them: `bin/imapd run --config-dir DIR`
// (or pop3d) against a temporary config dir, userdb and maildir on free loopback ports; and the
// pre-authenticated stdio mode `bin/imapd preauth MAILDIR`. While a server is not built yet, both
// report `{ status: 'missing', reason }` so tests can skip with that reason instead of passing.
import assert from 'node:assert/strict';
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { chown, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { ConfigFileName } from './config-dir.js';
import { TEST_PASSWORD, TEST_USER, writeConfigDir } from './config-dir.js';
import { LogCapture } from './logs.js';
import { createMaildir, type MaildirOptions } from './maildir-fixture.js';
import { freePort, portOpen } from './net.js';
import { binPath } from './paths.js';
import { firstOutputOrExit, type StdioSession, spawnStdio } from './stdio.js';
import { makeSelfSignedPem } from './tls.js';
import { makeTempDir, type TempDir } from './tmp.js';
import { type MailUser, mailUser } from './users.js';

export type ServerKind = 'imapd' | 'pop3d';

export interface Missing {
  readonly status: 'missing';
  readonly reason: string;
}

/** Output of a CLI that means "this server does not exist yet" rather than "it is broken". */
export const MISSING_PATTERN = /not built yet|not implemented|unknown command|not yet available/i;

/** A minimal, predictable environment: the config files, not the test runner's env, decide settings. */
export function baseEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', TZ: 'UTC', LANG: 'C.UTF-8', ...extra };
}

export interface StartServerOptions {
  readonly kind: ServerKind;
  /** Use this config dir as is; otherwise one is generated (userdb account testuser/testpass). */
  readonly configDir?: string;
  /** Ports to use with `configDir` given (they must match its files); generated configs pick free ones. */
  readonly ports?: { readonly plain: number; readonly tls?: number };
  readonly env?: NodeJS.ProcessEnv;
  /** Maildir of the generated account: fixture name or generator. */
  readonly maildir?: MaildirOptions;
  /** Extra lines for the generated config files. */
  readonly extraConfig?: Partial<Record<ConfigFileName, readonly string[]>>;
  /** Error-level log lines the test expects (anything else fails `stop()`). */
  readonly allowErrors?: readonly RegExp[];
  readonly startTimeoutMs?: number;
}

export interface RunningServer {
  readonly status: 'running';
  readonly kind: ServerKind;
  readonly port: number;
  readonly tlsPort: number | undefined;
  readonly configDir: string;
  /** Maildir of the generated account (undefined with a caller-supplied configDir). */
  readonly maildir: string | undefined;
  readonly user: { readonly name: string; readonly password: string; readonly system: MailUser };
  readonly logs: LogCapture;
  /** Listeners the server logged (`{"port":N,"tls":bool,"msg":"listening ..."}`), when it logs them. */
  readonly listening: ReadonlyArray<{ readonly port: number; readonly tls: boolean }>;
  readonly pid: number;
  /** SIGTERM, wait, clean up; throws on unexpected error-level log lines or an unclean exit. */
  stop(): Promise<void>;
}

function waitExit(
  child: ChildProcessByStdio<null, Readable, Readable>,
): Promise<{ code: number | null; signal: string | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
}

async function generatedConfig(o: StartServerOptions, tmp: TempDir) {
  const system = mailUser();
  const etc = join(tmp.path, 'etc');
  const home = join(tmp.path, 'home', TEST_USER);
  await mkdir(etc, { recursive: true });
  await mkdir(join(tmp.path, 'home'), { mode: 0o755 });
  await mkdir(home, { mode: 0o700 });
  const maildir = join(home, 'Maildir');
  await createMaildir(maildir, { ...o.maildir, owner: system });
  await chown(home, system.uid, system.gid);
  const plain = await freePort();
  const tls = await freePort();
  const certFile = await makeSelfSignedPem(etc, 'server');
  const ports = o.kind === 'imapd' ? { imap: plain, imaps: tls } : { pop3: plain, pop3s: tls };
  await writeConfigDir({
    dir: etc,
    ports,
    certFile,
    accounts: [{ name: TEST_USER, uid: system.uid, gid: system.gid, home, maildir }],
    ...(o.extraConfig ? { extra: o.extraConfig } : {}),
  });
  return { etc, maildir, plain, tls, system };
}

export async function startServer(o: StartServerOptions): Promise<RunningServer | Missing> {
  const tmp = await makeTempDir(`courier-ts-${o.kind}-`);
  let setup: {
    etc: string;
    maildir: string | undefined;
    plain: number;
    tls: number | undefined;
    system: MailUser;
  };
  if (o.configDir) {
    if (!o.ports) throw new Error('startServer: ports are required with a configDir');
    setup = {
      etc: o.configDir,
      maildir: undefined,
      plain: o.ports.plain,
      tls: o.ports.tls,
      system: mailUser(),
    };
  } else {
    try {
      setup = await generatedConfig(o, tmp);
    } catch (err) {
      await tmp.dispose();
      throw err;
    }
  }
  const child = spawn(process.execPath, [binPath(o.kind), 'run', '--config-dir', setup.etc], {
    env: baseEnv(o.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs = new LogCapture();
  logs.attach(child.stdout, 'stdout');
  logs.attach(child.stderr, 'stderr');
  const exit = waitExit(child);
  const deadline = Date.now() + (o.startTimeoutMs ?? 20_000);
  let exited: { code: number | null; signal: string | null } | undefined;
  void exit.then((e) => {
    exited = e;
  });
  while (!exited && !(await portOpen(setup.plain))) {
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await exit;
      await tmp.dispose();
      throw new Error(`${o.kind} did not listen on port ${setup.plain} in time; log:\n${logs.text()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  if (exited) {
    await new Promise((r) => setImmediate(r));
    const text = logs.text();
    await tmp.dispose();
    if (MISSING_PATTERN.test(text) || text.trim() === '') {
      return { status: 'missing', reason: text.trim().split('\n')[0] || `${o.kind} exited ${exited.code}` };
    }
    throw new Error(
      `${o.kind} run exited (code ${exited.code}, signal ${exited.signal}) before listening:\n${text}`,
    );
  }
  const stop = async (): Promise<void> => {
    if (!exited) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const e = await exit;
    clearTimeout(timer);
    await tmp.dispose();
    logs.assertNoErrors(o.allowErrors ?? [], o.kind);
    if (e.signal === 'SIGKILL')
      throw new Error(`${o.kind} did not stop within 10 s of SIGTERM; log:\n${logs.text()}`);
    if (e.code !== 0 && e.code !== null && e.signal === null && e.code !== 143) {
      throw new Error(`${o.kind} exited with code ${e.code} after SIGTERM; log:\n${logs.text()}`);
    }
  };
  return {
    status: 'running',
    kind: o.kind,
    port: setup.plain,
    tlsPort: setup.tls,
    configDir: setup.etc,
    maildir: setup.maildir,
    user: { name: TEST_USER, password: TEST_PASSWORD, system: setup.system },
    logs,
    listening: logs.entries
      .filter((e) => typeof e.json?.port === 'number' && /listening/i.test(e.msg))
      .map((e) => ({ port: e.json!.port as number, tls: e.json!.tls === true })),
    pid: child.pid ?? 0,
    stop,
  };
}

/** startServer for a test that needs the server: throws with the reason when it cannot run. */
export async function startRunningServer(o: StartServerOptions): Promise<RunningServer> {
  const s = await startServer(o);
  if (s.status !== 'running') throw new Error(`${o.kind} not runnable: ${s.reason}`);
  return s;
}

export interface StartPreauthOptions {
  readonly kind: ServerKind;
  readonly maildir: string;
  /** Settings as environment variables (AUTHENTICATED, IMAP_KEYWORDS, HOSTNAME, TZ, ...). */
  readonly env?: NodeJS.ProcessEnv;
  /** Extra arguments before the maildir (e.g. ['--config-dir', DIR]). */
  readonly args?: readonly string[];
  readonly uid?: number;
  readonly gid?: number;
}

export interface RunningPreauth {
  readonly status: 'running';
  readonly session: StdioSession;
}

/** `bin/<kind> preauth MAILDIR` on stdin/stdout; 'missing' while that mode does not exist. */
export async function startPreauth(o: StartPreauthOptions): Promise<RunningPreauth | Missing> {
  const session = spawnStdio({
    command: process.execPath,
    args: [binPath(o.kind), 'preauth', ...(o.args ?? []), o.maildir],
    env: baseEnv({ MAILDIR: o.maildir, ...o.env }),
    ...(o.uid !== undefined ? { uid: o.uid } : {}),
    ...(o.gid !== undefined ? { gid: o.gid } : {}),
  });
  if ((await firstOutputOrExit(session)) === 'running') return { status: 'running', session };
  await new Promise((r) => setImmediate(r));
  const text = session.logs.text();
  if (MISSING_PATTERN.test(text) || text.trim() === '') {
    return { status: 'missing', reason: `${o.kind} preauth: ${text.trim().split('\n')[0] || 'no output'}` };
  }
  throw new Error(`${o.kind} preauth exited before its greeting:\n${text}`);
}

/**
 * SIGHUP, then new connections until `reloaded` says one sees the new files (the reload runs after
 * the signal's log line); fails after 10 s.
 */
export async function hangUp(server: RunningServer, reloaded: () => Promise<boolean>): Promise<void> {
  const seen = server.logs.entries.length;
  process.kill(server.pid, 'SIGHUP');
  await server.logs.waitFor(
    (e) => server.logs.entries.indexOf(e) >= seen && /^SIGHUP: reloading/.test(e.msg),
  );
  const deadline = Date.now() + 10_000;
  while (!(await reloaded())) {
    assert.ok(Date.now() < deadline, 'the new settings never showed');
    await new Promise((r) => setTimeout(r, 50));
  }
}
