// Real mail clients for integration tests: Python's imaplib/poplib, fetchmail and mbsync (Debian
// packages fetchmail and isync), each run as a child process against a host/port with a login.
// Every helper returns what the client did in a comparable form plus its raw output for messages.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Login {
  readonly port: number;
  readonly host?: string;
  readonly user: string;
  readonly password: string;
}

export interface ClientRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function exec(
  cmd: string,
  args: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<ClientRun> {
  try {
    const r = await run(cmd, [...args], {
      env: opts.env ?? process.env,
      timeout: opts.timeoutMs ?? 60_000,
      maxBuffer: 64 << 20,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string; message: string };
    return {
      code: typeof e.code === 'number' ? e.code : 1,
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? e.message,
    };
  }
}

/** Run a Python 3 snippet; `args` become sys.argv[1:]. */
export function runPython(
  code: string,
  args: readonly string[] = [],
  timeoutMs = 60_000,
): Promise<ClientRun> {
  return exec('python3', ['-c', code, ...args], { timeoutMs });
}

export interface FetchedMessage {
  readonly size: number;
  readonly sha256: string;
}

const PY_FETCH = String.raw`
import sys, json, hashlib, imaplib, poplib, ssl
proto, host, port, user, pw, tls = sys.argv[1:7]
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
out = []
if proto == 'imap':
    m = imaplib.IMAP4_SSL(host, int(port), ssl_context=ctx) if tls == '1' else imaplib.IMAP4(host, int(port))
    m.login(user, pw)
    typ, data = m.select('INBOX', readonly=True)
    n = int(data[0])
    if n:
        typ, data = m.fetch('1:*', '(BODY.PEEK[])')
        for item in data:
            if isinstance(item, tuple):
                out.append(item[1])
    m.logout()
else:
    p = poplib.POP3_SSL(host, int(port), context=ctx) if tls == '1' else poplib.POP3(host, int(port))
    p.user(user); p.pass_(pw)
    count, _ = p.stat()
    for i in range(1, count + 1):
        resp, lines, octets = p.retr(i)
        out.append(b'\r\n'.join(lines) + b'\r\n')
    p.quit()
print(json.dumps([{'size': len(b), 'sha256': hashlib.sha256(b).hexdigest()} for b in out]))
`;

/** Fetch every INBOX message with imaplib (BODY.PEEK[]) or poplib (RETR, no DELE): sizes and hashes. */
export async function pythonFetchAll(
  protocol: 'imap' | 'pop3',
  login: Login,
  tls = false,
): Promise<FetchedMessage[]> {
  const r = await runPython(PY_FETCH, [
    protocol,
    login.host ?? '127.0.0.1',
    String(login.port),
    login.user,
    login.password,
    tls ? '1' : '0',
  ]);
  if (r.code !== 0) throw new Error(`python ${protocol} fetch failed (${r.code}):\n${r.stderr}`);
  return JSON.parse(r.stdout) as FetchedMessage[];
}

export interface DeliveredFile {
  readonly name: string;
  /** Size and hash without fetchmail's own Received: field. */
  readonly size: number;
  readonly sha256: string;
}

/** fetchmail prepends its own `Received:` field (host, port, time): drop it so deliveries compare. */
export function stripFetchmailReceived(data: Buffer): Buffer {
  const text = data.toString('latin1');
  const m = /^Received: [^\n]*(?:\n[ \t][^\n]*)*\n/.exec(text);
  if (!m?.[0].includes('fetchmail')) return data;
  return Buffer.from(text.slice(m[0].length), 'latin1');
}

async function filesIn(dir: string): Promise<DeliveredFile[]> {
  const out: DeliveredFile[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const data = stripFetchmailReceived(await readFile(join(dir, name)));
    out.push({ name, size: data.length, sha256: createHash('sha256').update(data).digest('hex') });
  }
  return out;
}

export interface FetchmailOptions extends Login {
  /** Scratch directory (fetchmailrc, id file, delivered messages under `out/`). */
  readonly workDir: string;
  readonly protocol?: 'POP3' | 'IMAP';
  /** Leave messages on the server (default true). */
  readonly keep?: boolean;
  /** Fetch old (already fetched) messages too (default false: UIDL decides). */
  readonly fetchall?: boolean;
}

/**
 * One fetchmail run (no daemon, no syslog, no TLS) delivering each message through an MDA into
 * `workDir/out/`. The UIDL/id file persists in workDir, so a second run sees what the first fetched.
 * Exit code 1 from fetchmail means "no mail", which is a success here.
 */
export async function runFetchmail(o: FetchmailOptions): Promise<ClientRun & { delivered: DeliveredFile[] }> {
  const out = join(o.workDir, 'out');
  await mkdir(out, { recursive: true });
  const rc = join(o.workDir, 'fetchmailrc');
  const lines = [
    'set no syslog',
    `set logfile "${join(o.workDir, 'fetchmail.log')}"`,
    `poll ${o.host ?? '127.0.0.1'} service ${o.port} protocol ${o.protocol ?? 'POP3'} uidl auth password`,
    `  user "${o.user}" there with password "${o.password}" is "${process.env.USER ?? 'root'}" here`,
    `  ${o.keep === false ? 'nokeep' : 'keep'} ${o.fetchall === true ? 'fetchall' : 'nofetchall'}`,
    `  sslproto '' no sslcertck`,
    `  mda "/bin/sh -c 'cat > ${out}/msg.$$'"`,
  ];
  await writeFile(rc, `${lines.join('\n')}\n`, { mode: 0o600 });
  const r = await exec(
    'fetchmail',
    [
      '--nodetach',
      '-f',
      rc,
      '-i',
      join(o.workDir, 'fetchids'),
      '--pidfile',
      join(o.workDir, 'fetchmail.pid'),
    ],
    { env: { ...process.env, HOME: o.workDir, FETCHMAILHOME: o.workDir } },
  );
  return { ...r, code: r.code === 1 ? 0 : r.code, delivered: await filesIn(out) };
}

export interface MbsyncOptions extends Login {
  readonly workDir: string;
}

/**
 * Writes an mbsyncrc (isync 1.4) for channel `ch` between the server (plain IMAP, LOGIN) and the
 * local maildir tree `local`; `store` and `channel` are extra lines for the local store and the channel.
 */
export async function writeMbsyncConfig(
  rc: string,
  o: Login & {
    readonly local: string;
    readonly store: readonly string[];
    readonly channel: readonly string[];
  },
): Promise<void> {
  const conf = [
    'IMAPAccount acc',
    `Host ${o.host ?? '127.0.0.1'}`,
    `Port ${o.port}`,
    `User ${o.user}`,
    `Pass ${o.password}`,
    'SSLType None',
    'AuthMechs LOGIN',
    '',
    'IMAPStore remote',
    'Account acc',
    '',
    'MaildirStore local',
    `Path ${o.local}/`,
    `Inbox ${o.local}/INBOX`,
    ...o.store,
    '',
    'Channel ch',
    'Far :remote:',
    'Near :local:',
    ...o.channel,
    'SyncState *',
    '',
  ];
  await writeFile(rc, conf.join('\n'), { mode: 0o600 });
}

/** One mbsync (isync 1.4) pull of every folder into `workDir/mail/` (plain IMAP, LOGIN). */
export async function runMbsync(o: MbsyncOptions): Promise<ClientRun & { local: string }> {
  const local = join(o.workDir, 'mail');
  await mkdir(local, { recursive: true });
  const rc = join(o.workDir, 'mbsyncrc');
  await writeMbsyncConfig(rc, {
    ...o,
    local,
    store: ['SubFolders Verbatim'],
    channel: ['Patterns *', 'Create Near', 'Sync Pull'],
  });
  const r = await exec('mbsync', ['-c', rc, '-a'], { env: { ...process.env, HOME: o.workDir } });
  return { ...r, local };
}
