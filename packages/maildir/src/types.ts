/** Public types of @courier-ts/maildir (the contract pop3d and imapd code against). */

import type { Readable } from 'node:stream';
import type { MaildirSharing } from './store/sharing.js';

/** The subset of a pino logger this package uses (pino's Logger satisfies it). */
export interface MaildirLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Time source (ms since the epoch); tests inject a fixed one. */
export interface Clock {
  now(): number;
}

export interface OpenMaildirOptions {
  /** Host part of unique names; default `$HOSTNAME`, else os.hostname(). */
  readonly hostname?: string;
  readonly log?: MaildirLogger;
  readonly clock?: Clock;
  /** IMAP_TRASHFOLDERNAME (default `Trash`): excluded from quota, cannot be deleted/renamed. */
  readonly trashFolder?: string;
  /** MAILDIRQUOTA override of the maildirsize definition line (imapd uses it only if set). */
  readonly quotaOverride?: string;
  /** Use our own per-folder cache file (`courier-ts.cache`); default true. */
  readonly useCache?: boolean;
  /**
   * What the maildirs of this server process share (`createMaildirSharing()`, made once per
   * process): one in-memory index per folder (each session keeps only its own view and \Recent
   * set), the lock queue, POP3 listings. Without it the maildir shares nothing (as if opened by
   * another process).
   */
  readonly sharing?: MaildirSharing;
}

/** System flags as stored in the file name, in Courier's order. */
export type MaildirFlag = 'D' | 'F' | 'R' | 'S' | 'T';
export const MAILDIR_FLAGS: readonly MaildirFlag[] = ['D', 'F', 'R', 'S', 'T'];

export interface FolderListEntry {
  /** IMAP name in UTF-8 (`INBOX`, `INBOX.Sent`, `INBOX.A.B`). */
  readonly name: string;
  /** A maildir directory exists for it (false = intermediate level only). */
  readonly exists: boolean;
  readonly hasChildren: boolean;
  /** `\Noselect`: no directory (intermediate level of an existing child). */
  readonly noselect: boolean;
  /** INBOX only: new/ holds messages (`\Marked`). */
  readonly marked: boolean;
  /**
   * Courier's LIST test for new mail (mailboxlist.c hasnewmsgs), read only when called: new/ or cur/
   * holds a message without `:2,...S` (not seen). False when the folder has no directory.
   */
  readonly hasNewMail: () => Promise<boolean>;
}

export interface QuotaInfo {
  /** Limits from the definition line; undefined = no limit of that kind. */
  readonly limitBytes: number | undefined;
  readonly limitMessages: number | undefined;
  readonly usedBytes: number;
  readonly usedMessages: number;
}

export interface MessageInfo {
  readonly uid: number;
  /** Current name in cur/ (with `:2,FLAGS`). */
  readonly filename: string;
  /** Unique part of the name (without `:2,...`): the name in courierimapuiddb. */
  readonly key: string;
  readonly flags: ReadonlySet<MaildirFlag>;
  readonly keywords: ReadonlySet<string>;
  /** Bytes on disk (LF form). NaN until measured in 'lazy' mode. */
  readonly size: number;
  /** Size clients see (each LF -> CRLF). */
  readonly crlfSize: number;
  /** INTERNALDATE = file mtime. */
  readonly mtime: Date;
  /** \Recent: this session was the first to see the message. */
  readonly recent: boolean;
}

export interface SyncChanges {
  /** Messages that appeared since the last sync (UID order). */
  readonly added: readonly MessageInfo[];
  /** UIDs that disappeared (expunged by another process), ascending. */
  readonly expunged: readonly number[];
  /** Messages whose flags or keywords changed behind our back (new state). */
  readonly flagsChanged: readonly MessageInfo[];
  /** The set of keywords in use changed (imapd re-sends FLAGS/PERMANENTFLAGS). */
  readonly keywordsChanged: boolean;
}

export type FlagMode = 'set' | 'add' | 'remove';

export interface AppendOptions {
  readonly flags?: Iterable<MaildirFlag>;
  readonly keywords?: Iterable<string>;
  /** mtime of the stored file (INTERNALDATE); default now. */
  readonly internalDate?: Date;
}

export interface AppendResult {
  readonly uid: number;
  readonly uidValidity: number;
}

export interface CopyResult {
  readonly uidValidity: number;
  /** Source UIDs in the order copied. */
  readonly sourceUids: readonly number[];
  /** Destination UIDs, parallel to sourceUids. */
  readonly destUids: readonly number[];
}

export interface ByteRange {
  /** Start offset in the CRLF form (inclusive). */
  readonly start?: number;
  /** End offset in the CRLF form (exclusive). */
  readonly end?: number;
}

export interface OpenFolderOptions {
  /** EXAMINE: new/ -> cur/ still happens (as Courier), but no uiddb write and no flag changes. */
  readonly readOnly?: boolean;
  /**
   * 'eager' (default): size, crlfSize and mtime are known for every message after open/sync
   * (from our cache, else by reading each new file once). 'lazy': they are NaN / Invalid Date
   * for messages not in our cache until `measure()` is awaited for them — opens a cold
   * 100,000-message folder without reading it.
   */
  readonly details?: 'eager' | 'lazy';
}

export type FolderChangeListener = () => void;

export interface FolderWatch {
  close(): void;
}

export interface Folder {
  /** IMAP name (UTF-8). */
  readonly name: string;
  readonly path: string;
  readonly readOnly: boolean;
  readonly uidValidity: number;
  readonly uidNext: number;
  /**
   * Sequence order = UID order: this session's view, changed only by its own sync() and its own
   * operations. Each change makes a new array (an array once handed out is never modified), and
   * sessions of one process with the same view share one array.
   */
  readonly messages: readonly MessageInfo[];
  /** Keywords in use, with the number of messages carrying each (first spelling kept). */
  readonly keywordCounts: ReadonlyMap<string, number>;
  sync(): Promise<SyncChanges>;
  byUid(uid: number): MessageInfo | undefined;
  /** Makes size, crlfSize and mtime known for these messages (a no-op for known ones). */
  measure(msgs: readonly MessageInfo[]): Promise<readonly MessageInfo[]>;
  /** CRLF form of the message (or a byte range of it), streamed. */
  openMessage(msg: MessageInfo, range?: ByteRange): Readable;
  /** Up to maxBytes of the raw (LF) header block, ending after the blank line when found. */
  readHeaders(msg: MessageInfo, maxBytes: number): Promise<Buffer>;
  setFlags(
    msgs: readonly MessageInfo[],
    mode: FlagMode,
    flags: Iterable<MaildirFlag>,
    keywords?: Iterable<string>,
  ): Promise<readonly MessageInfo[]>;
  /**
   * Unlinks the messages; returns the UIDs removed. With `moveToTrash` (IMAP_MOVE_EXPUNGE_TO_TRASH)
   * the files are renamed into that folder's cur/ with the T and D flags removed instead.
   */
  expunge(
    msgs: readonly MessageInfo[],
    options?: { readonly moveToTrash?: string },
  ): Promise<readonly number[]>;
  copyTo(msgs: readonly MessageInfo[], dest: string): Promise<CopyResult>;
  moveTo(msgs: readonly MessageInfo[], dest: string): Promise<CopyResult>;
  append(body: AsyncIterable<Uint8Array> | Readable, options?: AppendOptions): Promise<AppendResult>;
  watch(onChange: FolderChangeListener, options?: { pollMs?: number }): FolderWatch;
  close(): Promise<void>;
}

export interface Pop3Message {
  /** Current cur/ name (with `:2,FLAGS`). */
  readonly filename: string;
  readonly crlfSize: number;
  /** `UID<n>-<uidv>` from courierpop3dsizelist. */
  readonly uidl: string;
  /** Headers contain raw 8-bit (UTF-8): Courier wraps it for non-UTF8 clients. */
  readonly utf8Headers: boolean;
}

export interface RetrWhole {
  readonly parts: readonly Buffer[];
  readonly consumed: number;
}

export interface Pop3Maildrop {
  readonly messages: readonly Pop3Message[];
  /**
   * The same object for every maildrop this process made from one remembered listing: same
   * messages, same order, same sizes and UIDLs (so a LIST or UIDL reply made for one serves them
   * all); undefined when the listing is not shared.
   */
  readonly listingKey?: object | undefined;
  /**
   * CRLF form (no dot-stuffing); topLines = TOP's body line count (headers always whole).
   * Like Courier, the caller adds a CRLF when the stream does not end with LF.
   * dotStuff (whole message): the POP3 multi-line form when the stream says `dotStuffed`.
   */
  open(index: number, options?: { topLines?: number; dotStuff?: boolean }): Readable;
  /**
   * RETR's whole reply body in one read (dot-stuffed, `.` line included; `consumed` = stored
   * size), or undefined when not offered (large message, or no native helper): then open().
   */
  retrWhole?(index: number): Promise<RetrWhole | undefined>;
  /** RETR: add the S flag now. */
  markSeen(index: number): Promise<void>;
  /** QUIT: unlink the DELE'd messages (and update maildirsize). */
  commitDeletes(indexes: readonly number[]): Promise<void>;
}

export interface Maildir {
  readonly path: string;
  listFolders(): Promise<readonly FolderListEntry[]>;
  folderExists(name: string): Promise<boolean>;
  createFolder(name: string): Promise<void>;
  deleteFolder(name: string): Promise<void>;
  renameFolder(from: string, to: string): Promise<void>;
  subscriptions(): Promise<readonly string[]>;
  subscribe(name: string): Promise<void>;
  unsubscribe(name: string): Promise<void>;
  openFolder(name: string, options?: OpenFolderOptions): Promise<Folder>;
  /** APPEND to a folder by name (it need not be open); TRYCREATE -> NoSuchFolderError. */
  append(
    name: string,
    body: AsyncIterable<Uint8Array> | Readable,
    options?: AppendOptions,
  ): Promise<AppendResult>;
  /** IMAP_EMPTYTRASH: deletes the folder's messages whose ctime is older than maxAgeDays. */
  purgeOld(name: string, maxAgeDays: number): Promise<{ readonly removed: number }>;
  /**
   * STATUS: counts and UIDs without moving new/ or rewriting the uiddb (creates the folder's
   * courierimapkeywords/ when missing, as Courier's STATUS does).
   */
  status(name: string): Promise<FolderStatus>;
  quota(): Promise<QuotaInfo | undefined>;
  /** Would adding this much stay within maildirsize's quota? (APPEND can ask before the literal.) */
  quotaAllows(bytes: number, messages?: number): Promise<boolean>;
  pop3Maildrop(): Promise<Pop3Maildrop>;
  /**
   * Courier's ACL read (maildir_acl_read) of a folder (`INBOX`, or a UTF-8 name that need not exist):
   * `<identifier> <rights>\n` lines, `administrators` with every right. A level without its own
   * courierimapacl or courierimaphieracl/ entry inherits its parent's ACL and saves it, into the folder
   * when it exists, else as courierimaphieracl/<name> (Courier's LIST / LSUB leave these behind).
   */
  readAcl(name: string): Promise<string>;
}

export interface FolderStatus {
  readonly messages: number;
  readonly recent: number;
  readonly unseen: number;
  readonly uidNext: number;
  readonly uidValidity: number;
}
