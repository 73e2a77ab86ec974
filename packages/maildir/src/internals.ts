// Test-only entry (`@courier-ts/maildir/internals`): the pure parsers and formatters behind the
// public API, so unit tests can check them byte for byte. Not for use by other packages.

export { runMaildirmake } from './cli/maildirmake.js';
export { resolveContext } from './fs/context.js';
export { withMaildirLock } from './fs/lock.js';
export { countLf, crlfRange, lfToCrlf, stripCr } from './message/crlf.js';
export { compareNames, curName, infoSuffix, keyOf, parseName, sizeFromName } from './message/filename.js';
export { measureFile, readHeaderBlock } from './message/message-reader.js';
export { MimeScanner } from './message/mime-scan.js';
export { deliveredName, timeParts, tmpName } from './message/unique-name.js';
export { compareKeywordsForList, keywordBucket, sanitizeKeyword } from './state/keyword-order.js';
export { formatKeywordList, readKeywords, writeKeywordUpdate } from './state/keywords.js';
export {
  checkQuota,
  countsForQuota,
  formatQuotaString,
  formatSizeLine,
  parseQuotaString,
  readMaildirsize,
  recalculateMaildirsize,
} from './state/maildirsize.js';
export { comparePop3Names, formatSizelist, parseSizelist } from './state/pop3-sizelist.js';
export { sameSubscription } from './state/subscriptions.js';
export { formatUidDb, parseUidDb } from './state/uid-db.js';
export { FolderChanges, watchableFolder } from './store/folder-changes.js';
export { mergeNames, sortNames } from './store/name-order.js';
export { topLf } from './store/pop3-top.js';
export { RecentUids } from './store/recent-uids.js';
export { scanFolder } from './store/scan.js';
export { purgeTmp } from './store/tmp-purge.js';
