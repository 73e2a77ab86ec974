// Protocol engine (pure IMAP syntax).
export { ArgReader, tokenText } from './protocol/arg-reader.js';
export { CommandParser } from './protocol/command-parser.js';
export type { ImapDate, ImapDateTime } from './protocol/dates.js';
export { formatImapDateTime, MONTHS, parseImapDate, parseImapDateTime } from './protocol/dates.js';
export type { ProtocolErrorCode } from './protocol/errors.js';
export {
  ImapLimitError,
  ImapProtocolError,
  ImapSyntaxError,
  PROTOCOL_ERROR_CODES,
} from './protocol/errors.js';
export type {
  FetchItem,
  FetchPartial,
  FetchSection,
  SectionSpecifier,
  SimpleFetchItem,
} from './protocol/fetch-attributes.js';
export {
  fetchItemLabel,
  fetchSetsSeen,
  formatSection,
  parseFetchAttributes,
  parseSection,
} from './protocol/fetch-attributes.js';
export type { SystemFlag } from './protocol/flags.js';
export { isSystemFlag, isValidKeyword, parseStoreFlag, SYSTEM_FLAGS } from './protocol/flags.js';
export type {
  AtomValue,
  FormatOptions,
  ImapValue,
  LiteralValue,
  RawValue,
  ResponseStatus,
} from './protocol/formatter.js';
export {
  atom,
  canQuote,
  encodeString,
  formatContinuation,
  formatStatus,
  formatUntagged,
  formatValues,
  literal,
  raw,
} from './protocol/formatter.js';
export type {
  CommandEvent,
  ErrorEvent,
  LineEvent,
  LiteralDataEvent,
  LiteralEndEvent,
  LiteralEvent,
  ParserEvent,
} from './protocol/parser-events.js';
export type {
  CommandParserOptions,
  NonSyncLiteralMode,
  ResolvedParserOptions,
} from './protocol/parser-options.js';
export { LITERAL_MINUS_MAX, resolveParserOptions } from './protocol/parser-options.js';
export type { SearchKey, SearchProgram } from './protocol/search-keys.js';
export { parseSearchKeys } from './protocol/search-keys.js';
export type { NumberRanges, SeqNumber, SeqRange, SequenceSet } from './protocol/sequence-set.js';
export {
  firstOutOfRange,
  formatSequenceSet,
  iterateRanges,
  parseSequenceSet,
  rangesContain,
  resolveSequenceSet,
} from './protocol/sequence-set.js';
export type { StoreAction } from './protocol/store-action.js';
export { parseStoreAction } from './protocol/store-action.js';
export type {
  ImapAtom,
  ImapList,
  ImapStreamedLiteral,
  ImapString,
  ImapToken,
  ParsedCommand,
} from './protocol/tokens.js';
