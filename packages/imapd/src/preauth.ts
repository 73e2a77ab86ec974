/**
 * `imapd preauth [MAILDIR]`: one already-authenticated session on stdin/stdout, as Courier's imapd
 * binary run directly (ssh tunnels, test suites): `* PREAUTH Ready.`, ends at LOGOUT or end of input.
 */
import { isAbsolute, resolve } from 'node:path';
import { Duplex } from 'node:stream';
import { courierBool, type KeySource } from '@courier-ts/runtime';
import type { Logger } from 'pino';
import type { CommandRegistry } from './session/command.js';
import { createImapSessionMain, type ImapSessionInit } from './session/logged-in.js';
import type { ImapdSettings } from './settings.js';

export interface ImapPreauthOptions {
  readonly settings: ImapdSettings;
  /** AUTHENTICATED, TCPREMOTEIP, TCPREMOTEPORT, IMAP_TLS, MAILDIR ... */
  readonly env: KeySource;
  readonly maildir?: string;
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  readonly log: Logger;
  readonly registry: CommandRegistry;
  readonly cwd: string;
  readonly signal: AbortSignal;
  readonly now?: () => number;
}

export async function runImapPreauth(o: ImapPreauthOptions): Promise<void> {
  const env = o.env;
  const now = o.now ?? Date.now;
  const where = o.maildir ?? env.get('MAILDIR') ?? 'Maildir';
  const init: ImapSessionInit = {
    user: env.get('AUTHENTICATED') ?? env.get('USER') ?? '',
    maildir: isAbsolute(where) ? where : resolve(o.cwd, where),
    tls: courierBool(env.get('IMAP_TLS'), false),
    starttls: false,
    utf8: false,
    remoteIp: env.get('TCPREMOTEIP') ?? '127.0.0.1',
    remotePort: env.get('TCPREMOTEPORT') ?? '0',
    startedAt: now(),
    greeting: '* PREAUTH Ready.',
    disableImap: false,
    settings: o.settings.session,
  };
  const main = createImapSessionMain({ registry: o.registry, now });
  const stream = Duplex.from({ readable: o.input, writable: o.output });
  await main(stream, { init, pending: Buffer.alloc(0), log: o.log, signal: o.signal });
}
