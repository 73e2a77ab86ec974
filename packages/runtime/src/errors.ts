/** Typed errors of @courier-ts/runtime. */
export const RUNTIME_ERROR_CODES = [
  'BAD_PORT_LIST',
  'BAD_CERTIFICATE',
  'LISTEN_FAILED',
  'PRIVILEGE',
  'PIDFILE',
  'WORKER',
] as const;
export type RuntimeErrorCode = (typeof RUNTIME_ERROR_CODES)[number];

export class RuntimeError extends Error {
  override readonly name = 'RuntimeError';
  readonly code: RuntimeErrorCode;
  constructor(code: RuntimeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
