export const AUTHLIB_ERROR_CODES = [
  'CONFIG_SYNTAX',
  'CONFIG_UNREADABLE',
  'USERDB_PERMISSIONS',
  'USERDB_SYNTAX',
  'UNSUPPORTED_SCHEME',
  'NATIVE_UNAVAILABLE',
  'PROTOCOL',
] as const;
export type AuthlibErrorCode = (typeof AUTHLIB_ERROR_CODES)[number];

export class AuthlibError extends Error {
  override readonly name: string = 'AuthlibError';
  readonly code: AuthlibErrorCode;
  constructor(code: AuthlibErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** authdaemonrc (or another config file) could not be parsed. */
export class AuthConfigError extends AuthlibError {
  override readonly name = 'AuthConfigError';
}

/** A userdb source is unsafe (group/world permissions) or malformed. */
export class UserdbError extends AuthlibError {
  override readonly name = 'UserdbError';
}

/** A password scheme that this build cannot produce or verify. */
export class UnsupportedSchemeError extends AuthlibError {
  override readonly name = 'UnsupportedSchemeError';
  constructor(message: string) {
    super('UNSUPPORTED_SCHEME', message);
  }
}
