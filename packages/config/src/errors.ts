/**
 * Typed errors of @courier-ts/config. Problems in config files are NOT errors: they are returned as
 * `ConfigProblem` values. These classes are for misuse of the API.
 */

export const CONFIG_ERROR_CODES = ['INVALID_OPTIONS'] as const;
export type ConfigErrorCode = (typeof CONFIG_ERROR_CODES)[number];

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code: ConfigErrorCode;

  constructor(code: ConfigErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
