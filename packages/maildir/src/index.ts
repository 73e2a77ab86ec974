// Public API of @courier-ts/maildir: Courier Maildir++ storage, bit-compatible with Courier's files.

export type { CacheRecord } from './cache/cache-record.js';
export {
  appendMessageCache,
  type MessageCacheOptions,
  MessageCacheReader,
  type MessageCacheStats,
  rewriteMessageCache,
  STRUCTURE_CACHE_FILE,
} from './cache/message-cache.js';
export {
  CannotDeleteFolderError,
  CannotRenameFolderError,
  FolderClosedError,
  FolderExistsError,
  InvalidFolderNameError,
  InvalidMutf7Error,
  MAILDIR_ERROR_CODES,
  MaildirError,
  type MaildirErrorCode,
  MessageGoneError,
  NoSuchFolderError,
  OverQuotaError,
  ReadOnlyFolderError,
  TemporarilyUnavailableError,
} from './errors.js';
export {
  folderDirName,
  folderNameFromDir,
  isInbox,
  normalizeFolderName,
  validateFolderName,
} from './layout/folder-name.js';
export { decodeMutf7, encodeMutf7 } from './layout/mutf7.js';
export { MAILDIR_NATIVE, type MaildirNative } from './message/native.js';
export { type ReadServedOptions, readServedFile, type ServedFile } from './message/served-file.js';
export { openMaildir } from './store/open-maildir.js';
export { createScratchMaildir, type ScratchMaildir, type ScratchOptions } from './store/scratch-maildir.js';
export { createMaildirSharing, type MaildirSharing } from './store/sharing.js';
export {
  type AppendOptions,
  type AppendResult,
  type ByteRange,
  type Clock,
  type CopyResult,
  type FlagMode,
  type Folder,
  type FolderChangeListener,
  type FolderListEntry,
  type FolderStatus,
  type FolderWatch,
  MAILDIR_FLAGS,
  type Maildir,
  type MaildirFlag,
  type MaildirLogger,
  type MessageInfo,
  type OpenFolderOptions,
  type OpenMaildirOptions,
  type Pop3Maildrop,
  type Pop3Message,
  type QuotaInfo,
  type RetrWhole,
  type SyncChanges,
} from './types.js';
