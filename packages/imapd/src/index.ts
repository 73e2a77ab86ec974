// Protocol engine (pure IMAP syntax).

export { fromCrlf, toCrlf } from './commands/fetch/header-fields.js';
export { createStructureProvider, type StructureProvider } from './commands/fetch/structure.js';
export { imapCommands, imapRegistry, type RegistryOptions } from './commands/index.js';
export { canonicalInbox, listMatcher } from './commands/list-pattern.js';
export {
  BadCommandError,
  IMAPD_ERROR_CODES,
  ImapdError,
  type ImapdErrorCode,
  InvalidCommandError,
  RefusedError,
} from './errors.js';
// MIME structure, ENVELOPE, BODYSTRUCTURE and body sections (Courier-exact).
export { formatBodyStructure } from './message/body-structure.js';
export { formatEnvelope, readHeaderFields } from './message/envelope.js';
export type { HeaderFilter } from './message/header-filter.js';
export { filterHeaderBlock } from './message/header-filter.js';
export type { MimeParam, MimePart, MimeStructure, Offsets } from './message/mime-part.js';
export type { ScanOptions } from './message/mime-scanner.js';
export { MimeScanner, scanMime } from './message/mime-scanner.js';
export { courierQuotedText, courierString, rfc2047EncodeCourier } from './message/rfc2047-encode.js';
export type { SectionTarget } from './message/section.js';
export { resolveSection } from './message/section.js';
export { type ImapPreauthOptions, runImapPreauth } from './preauth.js';
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
// Server, session engine and commands (the server developer's part).
export { createImapServer, type ImapServer, type ImapServerOptions, imapMaildirFor } from './server.js';
export { capabilityList, implementedCapabilities } from './session/capabilities.js';
export {
  type AnyImapCommand,
  type CommandContext,
  type CommandOutcome,
  type CommandRegistry,
  commandRegistry,
  type ImapCommand,
  type LoginServices,
  no,
  ok,
} from './session/command.js';
export { emptyTrash, parseEmptyTrash, TrashMemo, type TrashRule } from './session/empty-trash.js';
export { errorReply, TEXT as REPLY_TEXT } from './session/error-reply.js';
export { createImapSessionMain, type ImapSessionInit } from './session/logged-in.js';
export { type Resolved, SelectedMailbox, type SetEntry } from './session/selected.js';
export { ImapSession, type SessionEnd } from './session/session.js';
export {
  ANY_STATE,
  AUTHENTICATED,
  NOT_AUTHENTICATED,
  SELECTED,
  type SessionState,
  type StateKind,
  type UserSpace,
} from './session/state.js';
export { IMAP_SESSION_MODULE, imapSessionMain, warmUpImap } from './session-entry.js';
export { type ImapdSettings, type ImapSessionSettings, resolveImapdSettings } from './settings.js';
