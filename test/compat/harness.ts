// Runs one scenario against the real Courier or against courier-ts and returns the normalised
// transcript and maildir state. Both sides get the same maildir fixture, the same account
// (testuser/testpass, a non-root system user owning the maildir), and the same settings.
import { hostname } from 'node:os';
import { join } from 'node:path';
import {
  type CourierExtraConfig,
  type CourierInstance,
  courierVersions,
  startCourier,
  startCourierPreauth,
} from '../support/courier.js';
import { createMaildir, type MaildirOptions } from '../support/maildir-fixture.js';
import { ImapClient } from '../support/net.js';
import { type Missing, startPreauth, startServer } from '../support/server.js';
import type { StdioSession } from '../support/stdio.js';
import { makeTempDir } from '../support/tmp.js';
import { isRoot, mailUser } from '../support/users.js';
import type { NormaliseContext } from './normalise.js';
import { normaliseTranscript } from './normalise.js';
import { play, type WireEnds } from './runner.js';
import type { Scenario } from './scenario.js';
import { knownNames, knownValidities, snapshotMaildir } from './state.js';

export const SESSION_HOSTNAME = 'courier-ts.test';
export const SESSION_USER = 'testuser';

export interface ScenarioResult {
  readonly transcript: readonly string[];
  readonly state: readonly string[];
  /** Server log text, for failure messages. */
  readonly log: string;
}

export function normaliseContext(s: Scenario, knownValidities: readonly string[] = []): NormaliseContext {
  return { hostnames: [hostname(), SESSION_HOSTNAME], masks: s.masks, knownValidities };
}

/** What the maildir held before the session: message names and UIDVALIDITY values (kept unmasked). */
interface Before {
  readonly names: Set<string>;
  readonly validities: string[];
}

async function before(maildir: string): Promise<Before> {
  return { names: await knownNames(maildir), validities: await knownValidities(maildir) };
}

/** Both sides start from the same tree, made by hand (our maildirmake is tested on its own). */
export function maildirOptions(s: Scenario): Omit<MaildirOptions, 'owner'> {
  if (s.generate) return { generate: s.generate, useOurMaildirmake: false };
  return s.fixture ? { fixture: s.fixture, useOurMaildirmake: false } : { useOurMaildirmake: false };
}

/** The environment of a stdio session: the logged-in identity, host name and zone, then the scenario's. */
export function stdioEnv(s: Scenario): Record<string, string> {
  return { AUTHENTICATED: SESSION_USER, HOSTNAME: SESSION_HOSTNAME, TZ: 'UTC', ...s.env };
}

const KIND = { imap: 'imapd', pop3: 'pop3d' } as const;

async function collect(
  s: Scenario,
  maildir: string,
  known: Before,
  lines: readonly string[],
  log: string,
): Promise<ScenarioResult> {
  const ctx = normaliseContext(s, known.validities);
  return {
    transcript: normaliseTranscript(lines, ctx),
    state: await snapshotMaildir(maildir, known.names, ctx),
    log,
  };
}

function stdioEnds(session: StdioSession): WireEnds {
  return { reader: session.reader, write: (b) => session.write(b), end: () => session.child.stdin.end() };
}

function socketEnds(client: ImapClient): WireEnds {
  return { reader: client.reader, write: (b) => client.write(b), end: () => client.socket.end() };
}

async function prepareStdioMaildir(s: Scenario) {
  const tmp = await makeTempDir('courier-ts-compat-');
  const owner = mailUser();
  const maildir = join(tmp.path, 'Maildir');
  await createMaildir(maildir, { ...maildirOptions(s), owner });
  const ids = isRoot() ? { uid: owner.uid, gid: owner.gid } : {};
  return { tmp, maildir, ids, known: await before(maildir) };
}

/** Real Courier instances by configuration, started on first use; `stopAll()` at the end. */
export class CourierPool {
  private readonly instances = new Map<string, Promise<CourierInstance>>();

  get(config: CourierExtraConfig): Promise<CourierInstance> {
    const key = JSON.stringify(config);
    let p = this.instances.get(key);
    if (!p) {
      // one instance at a time: they share the port range
      p = this.stopAll().then(() => startCourier(config));
      this.instances.set(key, p);
    }
    return p;
  }

  async stopAll(): Promise<void> {
    const all = [...this.instances.values()];
    this.instances.clear();
    for (const p of all) await (await p.catch(() => undefined))?.stop();
  }
}

export async function runOnCourier(s: Scenario, pool: CourierPool): Promise<ScenarioResult> {
  if (s.transport === 'stdio') {
    const { tmp, maildir, ids, known } = await prepareStdioMaildir(s);
    try {
      const session = startCourierPreauth({ kind: KIND[s.protocol], maildir, env: stdioEnv(s), ...ids });
      const t = await play(s.protocol, s.lines, stdioEnds(session));
      await session.finish();
      return await collect(s, maildir, known, t.render(), session.logs.text());
    } finally {
      await tmp.dispose();
    }
  }
  const inst = await pool.get(s.config);
  await inst.resetMaildir(maildirOptions(s));
  const known = await before(inst.maildir);
  const port = s.protocol === 'imap' ? inst.ports.imap : inst.ports.pop3;
  const client = await ImapClient.connect(port, '127.0.0.1', s.timeoutMs);
  const t = await play(s.protocol, s.lines, socketEnds(client));
  client.close();
  // the session process may still be writing its state files after the last reply
  await new Promise((r) => setTimeout(r, 200));
  return collect(s, inst.maildir, known, t.render(), await inst.logs());
}

export async function runOnOurs(s: Scenario): Promise<ScenarioResult | Missing> {
  if (s.transport === 'stdio') {
    const { tmp, maildir, ids, known } = await prepareStdioMaildir(s);
    try {
      const started = await startPreauth({ kind: KIND[s.protocol], maildir, env: stdioEnv(s), ...ids });
      if (started.status === 'missing') return started;
      const session = started.session;
      const t = await play(s.protocol, s.lines, stdioEnds(session));
      await session.finish();
      session.logs.assertNoErrors([], `${KIND[s.protocol]} preauth`);
      return await collect(s, maildir, known, t.render(), session.logs.text());
    } finally {
      await tmp.dispose();
    }
  }
  const srv = await startServer({
    kind: KIND[s.protocol],
    maildir: maildirOptions(s),
    extraConfig: s.config,
  });
  if (srv.status === 'missing') return srv;
  try {
    const maildir = srv.maildir!;
    const known = await before(maildir);
    const client = await ImapClient.connect(srv.port, '127.0.0.1', s.timeoutMs);
    const t = await play(s.protocol, s.lines, socketEnds(client));
    client.close();
    await new Promise((r) => setTimeout(r, 200));
    return await collect(s, maildir, known, t.render(), srv.logs.text());
  } finally {
    await srv.stop();
  }
}

/** The comparable text of a result: transcript, then state. */
export function resultLines(r: Pick<ScenarioResult, 'transcript' | 'state'>): string[] {
  return ['== transcript', ...r.transcript, '== maildir state after the session', ...r.state];
}

/** The content of test/compat/expected/<scenario>.txt for a Courier result. */
export function formatExpected(s: Scenario, r: ScenarioResult): string {
  const head = [
    `# ${s.name}: normalised transcript and maildir state of the REAL Courier (${courierVersions()}).`,
    '# Re-record with: COMPAT_RECORD=1 node --test test/dist/compat/ (as root, Courier installed).',
  ];
  return `${[...head, ...resultLines(r)].join('\n')}\n`;
}

/** Lines of an expected file, comments dropped. */
export function parseExpected(text: string): string[] {
  return text
    .replace(/\n$/, '')
    .split('\n')
    .filter((l) => !l.startsWith('#'));
}
