/**
 * The logged-in IMAP session (Courier's imapd after imaplogin): opens the maildir, greets, runs the
 * engine from the Authenticated state and writes Courier's LOGIN / LOGOUT lines. The same function
 * runs in-process, in a per-uid worker, and in `imapd preauth` on stdin/stdout.
 */
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createMaildirSharing, type Maildir, openMaildir } from '@courier-ts/maildir';
import type { SessionContext, SessionMain } from '@courier-ts/runtime';
import type { ImapSessionSettings } from '../settings.js';
import { implementedCapabilities } from './capabilities.js';
import type { CommandRegistry } from './command.js';
import { emptyTrash, parseEmptyTrash, TrashMemo } from './empty-trash.js';
import { ImapIo } from './io.js';
import { MailboxMemo } from './mailbox-memo.js';
import { ImapSession, type SessionEnd } from './session.js';

/** Everything the logged-in session is told (structured-clone safe: it may cross into a worker). */
export interface ImapSessionInit {
  /** AUTHENTICATED: the login id. */
  readonly user: string;
  /** Absolute maildir path. */
  readonly maildir: string;
  readonly tls: boolean;
  /** The session went through STARTTLS (LOGOUT line `starttls=1`). */
  readonly starttls: boolean;
  readonly utf8: boolean;
  readonly remoteIp: string;
  readonly remotePort: number | string;
  readonly startedAt: number;
  /** Network mode: the LOGIN/AUTHENTICATE tag, answered `OK LOGIN Ok.` once the maildir is open. */
  readonly loginTag?: string;
  /** Preauth mode: the greeting line (without CRLF). */
  readonly greeting?: string;
  readonly disableImap: boolean;
  readonly settings: ImapSessionSettings;
  /** SASL EXTERNAL was available at login (CAPABILITY keeps AUTH=EXTERNAL). */
  readonly external?: boolean;
}

export interface LoggedInDeps {
  readonly registry: CommandRegistry;
  readonly now?: () => number;
  readonly openMaildir?: (path: string, init: ImapSessionInit) => Promise<Maildir>;
}

function endWord(end: SessionEnd): string {
  if (end.kind === 'eof') return 'DISCONNECTED';
  if (end.kind === 'timeout') return 'TIMEOUT';
  return 'LOGOUT';
}

export function createImapSessionMain(deps: LoggedInDeps): SessionMain<ImapSessionInit> {
  const now = deps.now ?? Date.now;
  const implemented = implementedCapabilities(deps.registry);
  const trashMemo = new TrashMemo();
  // One per session main, that is per server process / per-uid worker: its sessions share folders.
  const sharing = createMaildirSharing();
  const memo = new MailboxMemo();
  const open =
    deps.openMaildir ??
    ((path: string, init: ImapSessionInit) =>
      openMaildir(path, {
        hostname: init.settings.hostname,
        trashFolder: init.settings.trashFolder,
        sharing,
      }));
  return async (stream: Duplex, ctx: SessionContext<ImapSessionInit>): Promise<void> => {
    const { init, log } = ctx;
    const s = init.settings;
    // Replies leave whole (see ImapIo), so Nagle's algorithm would only delay them: make sure it is
    // off here too, whoever accepted the socket (the listener sets it; a handed-over fd keeps it).
    if (stream instanceof Socket) stream.setNoDelay(true);
    const io = new ImapIo(stream, {
      parser: { maxLineLength: s.maxLineLength, maxLiteralSize: s.maxLiteralSize },
      lineMode: false,
      initial: ctx.pending,
    });
    const who = `user=${init.user}, ip=[${init.remoteIp}], port=[${init.remotePort}]`;
    if (init.disableImap) {
      await io.write(
        init.loginTag
          ? `${init.loginTag} NO IMAP access disabled for this account.\r\n`
          : '* BYE IMAP access disabled for this account.\r\n',
      );
      stream.end();
      return;
    }
    let maildir: Maildir;
    try {
      maildir = await open(init.maildir, init);
    } catch (err) {
      log.error({ err, maildir: init.maildir }, `cannot open maildir ${init.maildir}`);
      await io.write(`* BYE [ALERT] Fatal error: ${init.maildir}: No such file or directory\r\n`);
      stream.end();
      return;
    }
    log.info(`LOGIN, ${who}, protocol=IMAP`);
    const trash = parseEmptyTrash(s.emptyTrash);
    if (trash.length > 0) await emptyTrash(maildir, trash, now(), log, trashMemo);
    const session = new ImapSession(io, {
      registry: deps.registry,
      implemented,
      settings: s,
      log,
      tls: init.tls,
      user: { name: init.user, maildir, memo: memo.of(maildir) },
      utf8: init.utf8,
      signal: ctx.signal,
      external: init.external === true,
      ...(ctx.waiting ? { waiting: ctx.waiting } : {}),
    });
    const greeting =
      init.loginTag !== undefined
        ? `${init.loginTag} OK LOGIN Ok.\r\n`
        : `${init.greeting ?? '* PREAUTH Ready.'}\r\n`;
    let end: SessionEnd;
    try {
      end = await session.run(greeting);
    } catch (err) {
      log.error({ err }, 'session failed');
      end = { kind: 'eof' };
    }
    const seconds = Math.floor((now() - init.startedAt) / 1000);
    if (end.kind === 'shutdown') {
      log.info({ courierLevel: 'NOTICE' }, `Disconnected during shutdown by signal, user=${init.user}`);
    } else {
      log.info(
        `${endWord(end)}, ${who}, headers=${session.counters.headers}, body=${session.counters.body}, ` +
          `rcvd=${io.rcvd}, sent=${io.sent}, time=${seconds}${init.starttls ? ', starttls=1' : ''}`,
      );
    }
    // The client is let go first: the logout-time purge does not keep it waiting.
    stream.end();
    if (trash.length > 0 && end.kind !== 'shutdown') await emptyTrash(maildir, trash, now(), log, trashMemo);
  };
}
