// Public API of @courier-ts/runtime: the server runtime shared by pop3d and imapd.

export {
  type DaemonCommands,
  type DaemonSettings,
  type DaemonSpec,
  daemonCommands,
  type RunningServer,
} from './cli/daemon-commands.js';
export {
  type CliIo,
  runServerProgram,
  type ServerCommand,
  type ServerCommandContext,
  type ServerProgramSpec,
} from './cli/server-program.js';
export { closeGracefully } from './connection/close-gracefully.js';
export {
  type ConnectionInfo,
  connectionInfo,
  connectionLogger,
  createIdSource,
} from './connection/connection-context.js';
export { Deadline } from './connection/deadline.js';
export {
  type OpenConnectionOptions,
  type OpenedConnection,
  openConnection,
} from './connection/open-connection.js';
export { SessionRegistry } from './connection/session-registry.js';
export { RUNTIME_ERROR_CODES, RuntimeError, type RuntimeErrorCode } from './errors.js';
export { LineReader, type LineReaderOptions, type LineResult } from './io/line-reader.js';
export { joinParts, ReplyWriter } from './io/reply-writer.js';
export { stopReadingAndDrain } from './io/stop-reading.js';
export { type Admission, ConnectionLimiter } from './listen/connection-limiter.js';
export {
  type AdmittedConnection,
  type BoundListener,
  type Listeners,
  type ListenersOptions,
  type RebindResult,
  type Relimit,
  rebindOf,
  relimitOf,
  startListeners,
} from './listen/listeners.js';
export { type ListenBinding, parseAddress, parsePortList } from './listen/port-list.js';
export { courierAddress, plainAddress } from './log/courier-address.js';
export { REDACT_PATHS } from './log/redact.js';
export {
  createRootLogger,
  type LogFormat,
  parseLogFormat,
  type RootLoggerOptions,
} from './log/root-logger.js';
export { stderrSink } from './log/stderr-sink.js';
export { createTextDestination, type TextSink } from './log/text-destination.js';
export { dropPrivileges } from './privilege/drop-privileges.js';
export { IDLE_COLLECTOR_DEFAULTS } from './privilege/idle-collector.js';
export { loopbackPair } from './privilege/loopback-pair.js';
export {
  type Launch,
  type LaunchResult,
  type LoginPhaseEnd,
  SessionRunner,
  type SessionRunnerOptions,
} from './privilege/session-runner.js';
export { SocketPairFactory } from './privilege/socket-pair.js';
export type {
  AccountIds,
  SessionContext,
  SessionMain,
  SessionModuleRef,
  SessionWarmUp,
  WorkerLogSettings,
} from './privilege/types.js';
export { accountIds } from './privilege/types.js';
export { warmUpLogger } from './privilege/warm-up-logger.js';
export {
  runWarmUpSession,
  type WarmUpSessionOptions,
  type WarmUpTalk,
  type WarmUpTransport,
} from './privilege/warm-up-session.js';
export {
  type HandOff,
  WorkerPool,
  type WorkerPoolOptions,
  workerPoolIfRoot,
} from './privilege/worker-pool.js';
export { type ControlResult, type StartOptions, startDaemon, stopDaemon } from './process/control.js';
export { isAlive, readPidFile, removePidFile, writePidFile } from './process/pidfile.js';
export { installSignalHandlers } from './process/signals.js';
export {
  courierBool,
  courierInt,
  envSource,
  type KeySource,
  type RuntimeKeyNames,
  type RuntimeSettings,
  resolveRuntimeSettings,
} from './settings.js';
export { CertificateStore, type ContextRequest } from './tls/certificate-store.js';
export {
  checkPeer,
  externalLoginId,
  type PeerCheck,
  type PeerIdentity,
  peerIdentity,
} from './tls/peer-identity.js';
export { TlsSessionCache } from './tls/session-cache.js';
export { discardUnread, startTls, type TlsResult, writeAndFlush } from './tls/start-tls.js';
export { type PriorityMapping, parseTlsPriority } from './tls/tls-priority.js';
export {
  parseTlsProtocol,
  resolveTlsSettings,
  type TlsSettings,
  type VerifyPeer,
  verifyPeerOf,
} from './tls/tls-settings.js';
