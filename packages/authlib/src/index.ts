// @courier-ts/authlib public API: who the user is, where their maildir lives.
export { createAuthenticator, createAuthenticatorFromModules } from './authenticator.js';
export { callAuthdaemon, type DaemonCallResult, resolveClientTimeouts } from './daemon/client.js';
export { createAuthdaemonClientModule, parseEnumerateReply } from './daemon/client-module.js';
export {
  accountToReplyFields,
  buildAuthRequest,
  buildPasswdRequest,
  buildPreRequest,
  formatReply,
  parseReply,
  type ReplyFields,
  type ReplyKey,
} from './daemon/protocol.js';
export { type DaemonRequest, RequestReader } from './daemon/request-reader.js';
export {
  type AuthdaemonServer,
  type AuthdaemonServerOptions,
  startAuthdaemonServer,
} from './daemon/server.js';
export {
  AuthConfigError,
  AuthlibError,
  type AuthlibErrorCode,
  UnsupportedSchemeError,
  UserdbError,
} from './errors.js';
export {
  courierIp,
  formatAuthLogLine,
  formatLoginFailedLine,
  formatLoginLine,
  type LoginLogFields,
} from './log-line.js';
export type { AuthModule, ModuleAccount, ModuleResult } from './modules/module.js';
export { mergeOptions, optionValueIsTrue, parseAccountOptions } from './options.js';
export { constantTimeEqual } from './passwords/compare.js';
export { digestExpected, digestHash } from './passwords/digest-schemes.js';
export { hmacFromPrecomputed, hmacPrecompute, type StateHash } from './passwords/hash-state.js';
export { jsCrypt } from './passwords/js-crypt.js';
export { md5Crypt } from './passwords/md5-crypt.js';
export type { PamResult } from './passwords/native.js';
export {
  describeStoredScheme,
  HASH_SCHEMES,
  type HashScheme,
  schemeForPasswordChange,
} from './passwords/schemes.js';
export {
  createPasswordService,
  type PasswordService,
  type PasswordServiceOptions,
} from './passwords/service.js';
export { shaCrypt } from './passwords/sha-crypt.js';
export {
  authGeneric,
  type ExternalExchange,
  type ExternalStep,
  type LoginCredentials,
  type LoginRequest,
  startSaslExternal,
} from './sasl/external.js';
export {
  parseSaslExternal,
  SASL_LOGIN_PASSWORD,
  SASL_LOGIN_USERNAME,
  type SaslExchange,
  type SaslOptions,
  type SaslStep,
  saslMechanisms,
  startSasl,
} from './sasl/sasl.js';
export {
  type AuthdaemonSettings,
  applyDefDomain,
  authdaemonSocketPath,
  authServiceName,
  DEFAULT_AUTHDAEMON_SOCKET,
  loadAuthdaemonSettings,
  parseAuthdaemonrc,
} from './settings.js';
export type {
  AccountOptions,
  AuthAccount,
  Authenticator,
  AuthOutcome,
  AuthRequest,
  CramMechanism,
  CreateAuthenticatorOptions,
  Credentials,
  EnumeratedAccount,
  PasswordChangeResult,
} from './types.js';
