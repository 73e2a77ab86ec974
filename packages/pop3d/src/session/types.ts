import type { Readable } from 'node:stream';
import type { CommandLine } from '../protocol/command-line.js';

/** The POP3 states of RFC 1939. UPDATE is entered by QUIT in TRANSACTION. */
export type Pop3State = 'AUTHORIZATION' | 'TRANSACTION';

/** The maildrop a session works on (@courier-ts/maildir's Pop3Maildrop satisfies it). */
export interface Pop3MaildropLike {
  readonly messages: readonly {
    readonly filename: string;
    readonly crlfSize: number;
    readonly uidl: string;
    readonly utf8Headers: boolean;
  }[];
  open(index: number, options?: { topLines?: number; dotStuff?: boolean }): Readable;
  /** RETR's reply body in one read, when the store offers it (see @courier-ts/maildir). */
  retrWhole?(
    index: number,
  ): Promise<{ readonly parts: readonly Buffer[]; readonly consumed: number } | undefined>;
  markSeen(index: number): Promise<void>;
  commitDeletes(indexes: readonly number[]): Promise<void>;
  /** Same key: same messages, sizes and UIDLs (see @courier-ts/maildir Pop3Maildrop). */
  readonly listingKey?: object | undefined;
}

export type OpenMaildrop = (maildirPath: string) => Promise<Pop3MaildropLike>;

/** Settings the post-login session needs; plain data (it may cross into a worker process). */
export interface TransactionSettings {
  readonly idleTimeoutMs: number;
  readonly maxLineLength: number;
  readonly maxBadCommands: number;
  /** MIME_UNICODE_MESSAGE_TYPE */
  readonly unicodeMessageType: string;
  /** POP3_LOG_DELETIONS */
  readonly logDeletions: boolean;
  /** Our extension: RFC 2449 RESP-CODES / RFC 3206 AUTH-RESP-CODE. */
  readonly respCodes: boolean;
}

/** Everything the post-login session is told about the login (structured-clone safe). */
export interface Pop3SessionInit {
  /** AUTHENTICATED: the login id. */
  readonly user: string;
  /** Absolute maildir path. */
  readonly maildir: string;
  readonly utf8: boolean;
  /** POP3_TLS: the session runs over TLS (SSL port or after STLS). */
  readonly tls: boolean;
  readonly remoteIp: string;
  readonly remotePort: number | string;
  readonly startedAt: number;
  readonly disablePop3: boolean;
  readonly disableInsecurePop3: boolean;
  /** The CAPA reply lines (without the head and the dot), as computed at login. */
  readonly capa: readonly string[];
  /** Greeting to send once the maildrop is open. */
  readonly greeting: string;
  readonly settings: TransactionSettings;
}

/** A command descriptor: name, the state it is valid in, and its handler. */
export interface Pop3Command<Ctx> {
  readonly name: string;
  readonly run: (ctx: Ctx, cmd: CommandLine) => Promise<CommandOutcome>;
}

/** `continue` keeps reading; `end` closes the session (QUIT, fatal error). */
export type CommandOutcome = 'continue' | 'end';

export type CommandTable<Ctx> = ReadonlyMap<string, Pop3Command<Ctx>>;

export function commandTable<Ctx>(commands: readonly Pop3Command<Ctx>[]): CommandTable<Ctx> {
  return new Map(commands.map((c) => [c.name, c]));
}
