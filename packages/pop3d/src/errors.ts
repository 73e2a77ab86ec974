/** Typed errors of @courier-ts/pop3d (expected outcomes are result values, not these). */
export const POP3D_ERROR_CODES = ['BAD_SETTINGS', 'MAILDROP'] as const;
export type Pop3dErrorCode = (typeof POP3D_ERROR_CODES)[number];

export class Pop3dError extends Error {
  override readonly name = 'Pop3dError';
  readonly code: Pop3dErrorCode;
  constructor(code: Pop3dErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
