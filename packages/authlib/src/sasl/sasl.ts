import { randomBytes } from 'node:crypto';
import type { CramMechanism, Credentials } from '../types.js';
import { courierFromBase64 } from './base64.js';

export type SaslStep =
  | { readonly kind: 'challenge'; readonly data: string }
  | { readonly kind: 'credentials'; readonly credentials: Credentials }
  | { readonly kind: 'abort' }
  | { readonly kind: 'error' };

/** One server-side SASL exchange. Lines in and out are base64 (no CRLF). */
export interface SaslExchange {
  readonly mechanism: string;
  /**
   * Feed the client's next line. The first call passes the initial response (or undefined when the
   * client sent none); `=` stands for an empty initial response.
   */
  step(clientResponse: string | undefined): SaslStep;
}

export interface SaslOptions {
  readonly hostname: string;
  /** Random source for CRAM challenges (16 bytes are used). */
  readonly random?: (size: number) => Buffer;
}

export const SASL_LOGIN_USERNAME = 'VXNlcm5hbWU6';
export const SASL_LOGIN_PASSWORD = 'UGFzc3dvcmQ6';

const STRICT_RE = /^[A-Za-z0-9+/]*={0,2}$/;

type Decoded = { ok: true; text: string } | { ok: false; step: SaslStep };

function decode(line: string): Decoded {
  const t = line.trim();
  if (t === '*') return { ok: false, step: { kind: 'abort' } };
  if (t === '=') return { ok: true, text: '' };
  // Courier's padding rule; the stray bytes it would ignore after the base64 are an error here.
  const bytes = STRICT_RE.test(t) ? courierFromBase64(t) : undefined;
  if (bytes === undefined) return { ok: false, step: { kind: 'error' } };
  return { ok: true, text: bytes.toString('utf8') };
}

/** Which mechanisms to advertise: CRAM only where a clear or HMAC-precomputed password exists. */
export function saslMechanisms(available: { readonly clearOrHmac?: boolean } = {}): readonly string[] {
  return available.clearOrHmac
    ? ['PLAIN', 'LOGIN', 'CRAM-MD5', 'CRAM-SHA1', 'CRAM-SHA256']
    : ['PLAIN', 'LOGIN'];
}

function plainExchange(): SaslExchange {
  let started = false;
  return {
    mechanism: 'PLAIN',
    step(resp) {
      if (resp === undefined && !started) {
        started = true;
        return { kind: 'challenge', data: '' };
      }
      started = true;
      if (resp === undefined) return { kind: 'error' };
      const d = decode(resp);
      if (!d.ok) return d.step;
      const parts = d.text.split('\0');
      if (parts.length !== 3 || parts[1] === '') return { kind: 'error' };
      return {
        kind: 'credentials',
        credentials: { mechanism: 'login', user: parts[1]!, password: parts[2]! },
      };
    },
  };
}

function loginExchange(): SaslExchange {
  let stage = 0;
  let user: string | undefined;
  return {
    mechanism: 'LOGIN',
    step(resp) {
      if (stage === 0) {
        stage = 1;
        if (resp === undefined) return { kind: 'challenge', data: SASL_LOGIN_USERNAME };
      }
      if (resp === undefined) return { kind: 'error' };
      const d = decode(resp);
      if (!d.ok) return d.step;
      if (user === undefined) {
        user = d.text;
        return { kind: 'challenge', data: SASL_LOGIN_PASSWORD };
      }
      return { kind: 'credentials', credentials: { mechanism: 'login', user, password: d.text } };
    },
  };
}

function cramExchange(mech: CramMechanism, opts: SaslOptions): SaslExchange {
  const random = opts.random ?? randomBytes;
  let challenge: string | undefined;
  return {
    mechanism: mech.toUpperCase(),
    step(resp) {
      if (challenge === undefined) {
        const bytes = Buffer.concat([random(16), Buffer.alloc(16)]).subarray(0, 16);
        challenge = `<${bytes.toString('hex').toUpperCase()}@${opts.hostname}>`;
        // CRAM has no initial response; one sent anyway is ignored as Courier does.
        return { kind: 'challenge', data: Buffer.from(challenge, 'latin1').toString('base64') };
      }
      if (resp === undefined) return { kind: 'error' };
      const d = decode(resp);
      if (!d.ok) return d.step;
      const sp = d.text.lastIndexOf(' ');
      if (sp <= 0) return { kind: 'error' };
      const response = d.text.slice(sp + 1).toLowerCase();
      if (!/^[0-9a-f]+$/.test(response)) return { kind: 'error' };
      return {
        kind: 'credentials',
        credentials: { mechanism: mech, user: d.text.slice(0, sp), challenge, response },
      };
    },
  };
}

/** Start a server-side exchange; undefined for an unknown mechanism (EXTERNAL: startSaslExternal). */
export function startSasl(mechanism: string, opts: SaslOptions): SaslExchange | undefined {
  switch (mechanism.toUpperCase()) {
    case 'PLAIN':
      return plainExchange();
    case 'LOGIN':
      return loginExchange();
    case 'CRAM-MD5':
      return cramExchange('cram-md5', opts);
    case 'CRAM-SHA1':
      return cramExchange('cram-sha1', opts);
    case 'CRAM-SHA256':
      return cramExchange('cram-sha256', opts);
    default:
      return undefined;
  }
}

/**
 * The client's (optional) EXTERNAL authorization identity, decoded (the servers run the whole
 * exchange with startSaslExternal, which follows Courier's rules). The server maps the TLS client
 * certificate's subject field named by TLS_EXTERNAL to a login id itself, then calls
 * `Authenticator.lookup(service, id)` (authdaemond's `PRE . service id`).
 */
export function parseSaslExternal(
  clientResponse: string | undefined,
): { authzid: string } | 'abort' | 'error' {
  if (clientResponse === undefined) return { authzid: '' };
  const d = decode(clientResponse);
  if (!d.ok) return d.step.kind === 'abort' ? 'abort' : 'error';
  return { authzid: d.text };
}
