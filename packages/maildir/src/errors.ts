/** Typed errors of @courier-ts/maildir. Servers map `code` to protocol replies once. */

export const MAILDIR_ERROR_CODES = [
  'NO_SUCH_FOLDER',
  'FOLDER_EXISTS',
  'INVALID_FOLDER_NAME',
  'INVALID_MUTF7',
  'OVER_QUOTA',
  'TEMPORARILY_UNAVAILABLE',
  'READ_ONLY',
  'MESSAGE_GONE',
  'FOLDER_CLOSED',
  'CANNOT_DELETE',
  'CANNOT_RENAME',
] as const;
export type MaildirErrorCode = (typeof MAILDIR_ERROR_CODES)[number];

export class MaildirError extends Error {
  readonly code: MaildirErrorCode;
  constructor(code: MaildirErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MaildirError';
    this.code = code;
  }
}

/** SELECT/STATUS/DELETE of a folder that does not exist. */
export class NoSuchFolderError extends MaildirError {
  readonly folder: string;
  constructor(folder: string, options?: { cause?: unknown }) {
    super('NO_SUCH_FOLDER', `no such folder: ${folder}`, options);
    this.name = 'NoSuchFolderError';
    this.folder = folder;
  }
}

/** CREATE / RENAME onto a folder that exists. */
export class FolderExistsError extends MaildirError {
  readonly folder: string;
  constructor(folder: string, options?: { cause?: unknown }) {
    super('FOLDER_EXISTS', `folder exists: ${folder}`, options);
    this.name = 'FolderExistsError';
    this.folder = folder;
  }
}

/** A folder name that is malformed or would escape the maildir. */
export class InvalidFolderNameError extends MaildirError {
  readonly folder: string;
  readonly reason: string;
  constructor(folder: string, reason: string, options?: { cause?: unknown }) {
    super('INVALID_FOLDER_NAME', `invalid folder name (${reason})`, options);
    this.name = 'InvalidFolderNameError';
    this.folder = folder;
    this.reason = reason;
  }
}

/** Malformed modified UTF-7 (RFC 3501 section 5.1.3). */
export class InvalidMutf7Error extends MaildirError {
  readonly input: string;
  constructor(input: string, reason: string) {
    super('INVALID_MUTF7', `invalid modified UTF-7 (${reason})`);
    this.name = 'InvalidMutf7Error';
    this.input = input;
  }
}

/** Writing would exceed the maildirsize quota. */
export class OverQuotaError extends MaildirError {
  constructor(options?: { cause?: unknown }) {
    super('OVER_QUOTA', 'mail quota exceeded', options);
    this.name = 'OverQuotaError';
  }
}

/** A transient condition (lock held too long, EAGAIN, ENOSPC...): the client may retry. */
export class TemporarilyUnavailableError extends MaildirError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('TEMPORARILY_UNAVAILABLE', message, options);
    this.name = 'TemporarilyUnavailableError';
  }
}

/** A write on a folder opened read-only (EXAMINE). */
export class ReadOnlyFolderError extends MaildirError {
  constructor(folder: string) {
    super('READ_ONLY', `folder is read-only: ${folder}`);
    this.name = 'ReadOnlyFolderError';
  }
}

/** The message file vanished (expunged by another process). */
export class MessageGoneError extends MaildirError {
  readonly uid: number;
  constructor(uid: number, options?: { cause?: unknown }) {
    super('MESSAGE_GONE', `message ${uid} is no longer available`, options);
    this.name = 'MessageGoneError';
    this.uid = uid;
  }
}

/** Use of a Folder after close(). */
export class FolderClosedError extends MaildirError {
  constructor() {
    super('FOLDER_CLOSED', 'folder is closed');
    this.name = 'FolderClosedError';
  }
}

/** DELETE INBOX, DELETE Trash: refused by policy. */
export class CannotDeleteFolderError extends MaildirError {
  constructor(folder: string) {
    super('CANNOT_DELETE', `cannot delete folder: ${folder}`);
    this.name = 'CannotDeleteFolderError';
  }
}

/** RENAME INBOX, RENAME Trash: refused by policy. */
export class CannotRenameFolderError extends MaildirError {
  constructor(folder: string) {
    super('CANNOT_RENAME', `cannot rename folder: ${folder}`);
    this.name = 'CannotRenameFolderError';
  }
}
