/**
 * @courier-ts/config: Courier's configuration files, read unchanged, with provenance.
 *
 * Loading (all async, never throw for file problems: a missing or bad file becomes a `ConfigProblem`):
 *
 * - `loadServerConfig({ server: 'imapd' | 'pop3d', configDir, env, includeSsl = true })`
 *   reads `<configDir>/<server>` then `<configDir>/<server>-ssl` as sh would (`set -a; . base; . ssl`),
 *   then lets `env` override any key of the same name, then fills the remaining keys with Debian's
 *   defaults. `$VAR` expansion sees env first, then keys assigned earlier in the same load.
 *   A missing dir or file is a warning (defaults apply); callers decide whether that is fatal.
 *   TLS files are checked for existence: a missing TLS_CERTFILE is an error only while TLS is in use
 *   (IMAPDSSLSTART / IMAPDSTARTTLS / IMAP_TLS_REQUIRED, POP3 alike), else a warning; pass
 *   `checkFiles: false` to skip those checks.
 * - `loadAuthdaemonrc({ configDir, env })` reads `authdaemonrc` the way sh sees it (what reaches the
 *   daemon's environment) and warns where authdaemond's own line parser would read a value differently.
 * - `loadRcFile(path, { kind? })` reads an authlib `NAME value` file (authmysqlrc, authpgsqlrc,
 *   authsqliterc, authldaprc): first occurrence wins, `\` continues a line, a `##NAME:` marker is required.
 *
 * The result, `LoadedConfig`: `get(key)`, `getInt(key)`, `getBool(key)` (Courier truthiness), `has(key)`,
 * `entry(key)`, `entries()` (each `ConfigEntry` with `source` = file:line | env | default, `isDefault`,
 * `known`), `problems` (every error and warning at once, with file:line), `environment()` (what the start
 * script would export) and `hasErrors()`. `listenerEnvironment(cfg, server, 'plain' | 'tls')` adds what each
 * start script sets after sourcing (IMAP_STARTTLS=$IMAPDSTARTTLS; IMAP_TLS=1; POP3_TLS=1 POP3_STARTTLS=NO
 * POP3_TLS_REQUIRED=0 for POP3S).
 *
 * Schemas (`schemaFor(kind)`, `serverSchema(server)`) describe every key: type, Debian default, meaning.
 * The effective-configuration printer and checker live in the `./cli` export (`printConfig`, `checkConfig`).
 */

export type { ConfigErrorCode } from './errors.js';
export { CONFIG_ERROR_CODES, ConfigError } from './errors.js';
export type { AuthdaemondLine, AuthdaemondView } from './formats/authdaemonrc.js';
export { readAuthdaemondView } from './formats/authdaemonrc.js';
export type { RcAssignment, RcReadResult } from './formats/rc.js';
export { parseRcText } from './formats/rc.js';
export type { ShellAssignment, ShellReadOptions, ShellReadResult } from './formats/shell.js';
export { readShellText } from './formats/shell.js';
export { loadAuthdaemonrc } from './load/authdaemonrc.js';
export { formatProblem, formatSource } from './load/format.js';
export type { ListenerKind } from './load/listener-env.js';
export { listenerEnvironment } from './load/listener-env.js';
export { courierTruth } from './load/loaded-config.js';
export { loadRcFile } from './load/rc-file.js';
export type { LoadServerConfigExtra } from './load/server.js';
export { loadServerConfig, serverFileKinds } from './load/server.js';
export type { FileCheckMode } from './load/tls-checks.js';
export { tlsFileProblems, tlsInUse } from './load/tls-checks.js';
export { AUTH_MODULES } from './schema/authdaemonrc.js';
export { findKeySpec, schemaFor, serverSchema } from './schema/index.js';
export { suggestKey } from './schema/suggest.js';
export type { KeySpec, Schema, ValueType } from './schema/types.js';
export { validateValue } from './schema/validate.js';
export type {
  ConfigEntry,
  ConfigFileStatus,
  ConfigProblem,
  ConfigSource,
  EnvLike,
  FileKind,
  LoadAuthdaemonrcOptions,
  LoadedConfig,
  LoadRcFileOptions,
  LoadServerConfigOptions,
  ProblemSeverity,
  ServerName,
} from './types.js';
