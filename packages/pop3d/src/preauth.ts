import { isAbsolute, resolve } from 'node:path';
import { Duplex } from 'node:stream';
import { courierBool, type KeySource } from '@courier-ts/runtime';
import type { Logger } from 'pino';
import { MAILDROP_COMMANDS } from './commands/maildrop.js';
import { REPLY } from './protocol/replies.js';
import { createTransactionMain } from './session/transaction.js';
import { commandTable, type OpenMaildrop, type Pop3SessionInit } from './session/types.js';
import { capaLines, type Pop3dSettings } from './settings.js';

export interface PreauthOptions {
  readonly settings: Pop3dSettings;
  /** The variables courierpop3d reads: AUTHENTICATED, UTF8, TCPREMOTEIP, OPTIONS, POP3_TLS, MAILDIR ... */
  readonly env: KeySource;
  /** MAILDIR argument (else $MAILDIR, else ./Maildir), relative to cwd. */
  readonly maildir?: string;
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  readonly log: Logger;
  readonly openMaildrop: OpenMaildrop;
  readonly cwd: string;
  readonly signal: AbortSignal;
  readonly now?: () => number;
}

function optionFlag(options: string, key: string): boolean {
  for (const part of options.split(',')) {
    const eq = part.indexOf('=');
    const k = eq === -1 ? part : part.slice(0, eq);
    if (k.trim() === key) return courierBool(eq === -1 ? '1' : part.slice(eq + 1));
  }
  return false;
}

/**
 * `pop3d preauth [MAILDIR]`: one already-authenticated session on stdin/stdout, as Courier's
 * courierpop3d run directly (greets `+OK logged in.`). Returns when the client quits or input ends.
 */
export async function runPreauth(o: PreauthOptions): Promise<void> {
  const env = o.env;
  const now = o.now ?? Date.now;
  const user = env.get('AUTHADDR') || env.get('AUTHENTICATED') || 'nobody';
  const utf8Var = env.get('UTF8');
  const tls = courierBool(env.get('POP3_TLS'), false);
  const where = o.maildir ?? env.get('MAILDIR') ?? './Maildir';
  const options = env.get('OPTIONS') ?? '';
  const init: Pop3SessionInit = {
    user,
    maildir: isAbsolute(where) ? where : resolve(o.cwd, where),
    // courierpop3d: UTF8 enabled "until proven otherwise" when the variable is absent.
    utf8: utf8Var === undefined ? true : Number.parseInt(utf8Var, 10) !== 0,
    tls,
    remoteIp: env.get('TCPREMOTEIP') ?? '127.0.0.1',
    remotePort: env.get('TCPREMOTEPORT') ?? '0',
    startedAt: now(),
    disablePop3: optionFlag(options, 'disablepop3'),
    disableInsecurePop3: optionFlag(options, 'disableinsecurepop3'),
    capa: capaLines(o.settings, tls, false),
    greeting: REPLY.preauthGreeting,
    settings: {
      idleTimeoutMs: o.settings.idleTimeoutMs,
      maxLineLength: o.settings.maxLineLength,
      maxBadCommands: o.settings.maxBadCommands,
      unicodeMessageType: o.settings.unicodeMessageType,
      logDeletions: o.settings.logDeletions,
      respCodes: o.settings.respCodes,
    },
  };
  const main = createTransactionMain({
    commands: commandTable(MAILDROP_COMMANDS),
    openMaildrop: o.openMaildrop,
    now,
  });
  const stream = Duplex.from({ readable: o.input, writable: o.output });
  await main(stream, { init, pending: Buffer.alloc(0), log: o.log, signal: o.signal });
}
