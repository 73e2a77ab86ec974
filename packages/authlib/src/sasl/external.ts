/**
 * SASL EXTERNAL (RFC 4422 appendix A) as courier-authlib's auth_sasl_ex() runs it: the identity
 * comes from outside the exchange (the TLS client certificate's TLS_EXTERNAL field), the client
 * may only confirm it.
 *
 * - An initial response (other than empty or `=`) must decode to exactly that identity.
 * - Without one the server sends an empty challenge; the answer must be empty (`*` aborts, and so
 *   does a non-empty authorization identity, even one equal to the derived identity).
 * - Success becomes `PRE . service id` (Authenticator.lookup): no password, no DEFDOMAIN.
 */
import type { Authenticator, AuthOutcome, AuthRequest, Credentials } from '../types.js';
import { courierFromBase64 } from './base64.js';

/** The outcome of an EXTERNAL exchange: Courier's AUTHSASL_OK / AUTHSASL_ERROR / AUTHSASL_ABORTED. */
export type ExternalStep =
  | { readonly kind: 'challenge'; readonly data: '' }
  | { readonly kind: 'external'; readonly user: string }
  /** AUTHSASL_ERROR: wrong authorization identity (POP3: `-ERR Authentication failed.`). */
  | { readonly kind: 'failed' }
  /** AUTHSASL_ABORTED: `*`, bad base64, or a non-empty answer to the challenge. */
  | { readonly kind: 'abort' };

export interface ExternalExchange {
  readonly mechanism: 'EXTERNAL';
  /** First call: the initial response (undefined when none); then each answer to a challenge. */
  step(clientResponse: string | undefined): ExternalStep;
}

/** The decoded response as the C string Courier compares: up to its first NUL. */
function fromBase64(text: string): Buffer | undefined {
  const bytes = courierFromBase64(text);
  const nul = bytes?.indexOf(0) ?? -1;
  return nul < 0 ? bytes : bytes!.subarray(0, nul);
}

/**
 * Start an EXTERNAL exchange for the identity the TLS layer established; undefined when there is
 * none (no verified certificate, no TLS_EXTERNAL, or the field is missing), which Courier treats
 * like an unknown mechanism.
 */
export function startSaslExternal(loginId: string | undefined): ExternalExchange | undefined {
  if (loginId === undefined || loginId === '') return undefined;
  const id = Buffer.from(loginId, 'utf8');
  let challenged = false;
  return {
    mechanism: 'EXTERNAL',
    step(resp) {
      if (!challenged) {
        if (resp === undefined || resp === '' || resp === '=') {
          challenged = true;
          return { kind: 'challenge', data: '' };
        }
        const authzid = fromBase64(resp);
        if (authzid === undefined) return { kind: 'abort' };
        return authzid.equals(id) ? { kind: 'external', user: loginId } : { kind: 'failed' };
      }
      if (resp === undefined || resp.startsWith('*')) return { kind: 'abort' };
      const answer = fromBase64(resp);
      return answer?.length === 0 ? { kind: 'external', user: loginId } : { kind: 'abort' };
    },
  };
}

/** What a login command hands to the server's credential check: a SASL/LOGIN secret, or EXTERNAL. */
export type LoginCredentials = Credentials | { readonly mechanism: 'external'; readonly user: string };

export interface LoginRequest extends Omit<AuthRequest, 'credentials'> {
  readonly credentials: LoginCredentials;
}

/**
 * courier-authlib's auth_generic(): an EXTERNAL identity is looked up (`PRE . service id`, as
 * auth_getuserinfo), anything else is authenticated (`AUTH`).
 */
export function authGeneric(
  auth: Pick<Authenticator, 'authenticate' | 'lookup'>,
  req: LoginRequest,
): Promise<AuthOutcome> {
  const c = req.credentials;
  if (c.mechanism === 'external') return auth.lookup(req.service, c.user);
  return auth.authenticate({ ...req, credentials: c });
}
