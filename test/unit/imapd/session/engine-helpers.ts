// Runs the logged-in IMAP session engine over in-memory streams on a temp maildir made from a fixture.
import { join } from 'node:path';
import { Duplex, PassThrough } from 'node:stream';
import {
  createImapSessionMain,
  type ImapSessionInit,
  imapRegistry,
  resolveImapdSettings,
} from '@courier-ts/imapd';
import { envSource, type SessionMain } from '@courier-ts/runtime';
import { pino } from 'pino';
import { createMaildir } from '../../../support/maildir-fixture.js';
import { makeTempDir } from '../../../support/tmp.js';

export type Chunking = 'whole' | 'bytes';

export interface EngineRun {
  readonly output: string;
  readonly maildir: string;
}

/** Feeds `input` (whole, or one byte at a time) to a preauth-style session and returns everything it wrote. */
export async function runEngine(
  input: string | Buffer,
  chunking: Chunking,
  env: Record<string, string> = {},
  fixture = 'basic',
  /** Looks at the maildir after the session, before it is removed. */
  inspect?: (maildir: string) => Promise<void>,
): Promise<EngineRun> {
  const tmp = await makeTempDir('courier-ts-imapd-unit-');
  try {
    const maildir = join(tmp.path, 'Maildir');
    await createMaildir(maildir, { fixture });
    const init = preauthInit(maildir, env);
    const toServer = new PassThrough();
    const fromServer = new PassThrough();
    const chunks: Buffer[] = [];
    fromServer.on('data', (c: Buffer) => chunks.push(c));
    const stream = Duplex.from({ readable: toServer, writable: fromServer });
    const main = createImapSessionMain({ registry: imapRegistry() });
    const log = pino({ level: 'silent' });
    const done = main(stream, { init, pending: Buffer.alloc(0), log, signal: new AbortController().signal });
    const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input, 'latin1');
    if (chunking === 'whole') toServer.write(bytes);
    else
      for (const b of bytes) {
        toServer.write(Buffer.from([b]));
        await new Promise((r) => setImmediate(r));
      }
    toServer.end();
    await done;
    if (inspect) await inspect(maildir);
    return { output: Buffer.concat(chunks).toString('latin1'), maildir };
  } finally {
    await tmp.dispose();
  }
}

/** CRLF-joined lines. */
export function wire(...lines: string[]): string {
  return lines.map((l) => `${l}\r\n`).join('');
}

/** What a preauth session of `testuser` on `maildir` starts with (idle timeout 20 s). */
export function preauthInit(maildir: string, env: Record<string, string> = {}): ImapSessionInit {
  const settings = resolveImapdSettings(envSource({ COURIER_TS_IDLE_TIMEOUT: '20', ...env }), env);
  return {
    user: 'testuser',
    maildir,
    tls: false,
    starttls: false,
    utf8: false,
    remoteIp: '127.0.0.1',
    remotePort: 0,
    startedAt: Date.now(),
    greeting: '* PREAUTH Ready.',
    disableImap: false,
    settings: settings.session,
  };
}

/** Runs the session engine on `stream` (as preauth) until the stream ends. */
export function startSession(stream: Duplex, init: ImapSessionInit): Promise<void> {
  return createImapSessionMain({ registry: imapRegistry() })(stream, {
    init,
    pending: Buffer.alloc(0),
    log: pino({ level: 'silent' }),
    signal: new AbortController().signal,
  });
}

export interface CommandSession {
  /** Sends one tagged command; resolves with everything written up to its tagged reply. */
  command(text: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * An interactive preauth session over in-memory streams; sessions given the same `main` share it as
 * the sessions of one server process do (its folders, memos).
 */
export function openCommandSession(
  maildir: string,
  main: SessionMain<ImapSessionInit> = createImapSessionMain({ registry: imapRegistry() }),
): CommandSession {
  const toServer = new PassThrough();
  const fromServer = new PassThrough();
  let out = '';
  let waiter: (() => void) | undefined;
  fromServer.on('data', (c: Buffer) => {
    out += c.toString('latin1');
    waiter?.();
  });
  const done = main(Duplex.from({ readable: toServer, writable: fromServer }), {
    init: preauthInit(maildir),
    pending: Buffer.alloc(0),
    log: pino({ level: 'silent' }),
    signal: new AbortController().signal,
  });
  let n = 0;
  return {
    async command(text) {
      const tag = `t${++n}`;
      const from = out.length;
      toServer.write(`${tag} ${text}\r\n`);
      const end = new RegExp(`(^|\\r\\n)${tag} (OK|NO|BAD)[^\\r]*\\r\\n`);
      while (!end.test(out.slice(from))) await new Promise<void>((r) => (waiter = r));
      return out.slice(from);
    },
    async close() {
      toServer.end();
      await done;
    },
  };
}
