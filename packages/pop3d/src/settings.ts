import { hostname } from 'node:os';
import {
  courierBool,
  courierInt,
  type KeySource,
  type RuntimeSettings,
  resolveRuntimeSettings,
} from '@courier-ts/runtime';

/** Typed pop3d / pop3d-ssl settings (courier-behaviour.md §2, courier-formats.md §4). */
export interface Pop3dSettings {
  readonly runtime: RuntimeSettings;
  /** POP3_STARTTLS: offer STLS on the plain port. */
  readonly starttls: boolean;
  /** POP3_TLS_REQUIRED: USER/AUTH refused until STLS. */
  readonly tlsRequired: boolean;
  /** POP3AUTH / POP3AUTH_TLS: SASL list advertised in CAPA before / under TLS. */
  readonly pop3auth: string;
  readonly pop3authTls: string;
  /** MAILDIRPATH: maildir under home when the account names none. */
  readonly maildirPath: string;
  /** AUTHSERVICE<port> values by port. */
  readonly authServices: ReadonlyMap<number, string>;
  /** Delay before a failed-login reply (Courier: 5 s). COURIER_TS_LOGIN_FAIL_DELAY (ms). */
  readonly failDelayMs: number;
  /** Cap on the whole pre-login phase (Courier: alarm(60)). */
  readonly preLoginTimeoutMs: number;
  /** Idle timeout after login (Courier: alarm(300)). */
  readonly idleTimeoutMs: number;
  readonly maxLineLength: number;
  /** Consecutive invalid commands before the connection is closed (0 = no limit). */
  readonly maxBadCommands: number;
  readonly unicodeMessageType: string;
  readonly logDeletions: boolean;
  /** POP3_RESP_CODES (ours): advertise and send RESP-CODES / AUTH-RESP-CODE. Off = Courier's replies. */
  readonly respCodes: boolean;
  /**
   * COURIER_TS_LOGIN_DELAY (ours, seconds): enforce a minimum time between two logins of one account
   * and advertise it in CAPA. 0 (default): Courier's behaviour, `LOGIN-DELAY 10` advertised, not enforced.
   */
  readonly loginDelaySeconds: number;
  readonly hostname: string;
  /** The environment Courier would give its processes (DEFDOMAIN etc. for authlib). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

const RUNTIME_NAMES = {
  startKey: 'POP3DSTART',
  sslStartKey: 'POP3DSSLSTART',
  defaultPort: '110',
  defaultSslPort: '995',
  defaultPidFile: '/run/courier/pop3d.pid',
  defaultCertFile: '/etc/courier/pop3d.pem',
} as const;

function authServices(env: Readonly<Record<string, string | undefined>>): Map<number, string> {
  const out = new Map<number, string>();
  for (const [k, v] of Object.entries(env)) {
    const m = /^AUTHSERVICE(\d+)$/.exec(k);
    if (m && v) out.set(Number(m[1]), v);
  }
  return out;
}

/**
 * Resolve every pop3d setting from a key source (LoadedConfig, or the environment in preauth
 * mode). `environment` is what the start script would export (used for AUTHSERVICE<port>, DEFDOMAIN).
 */
export function resolvePop3dSettings(
  files: KeySource,
  environment: Readonly<Record<string, string | undefined>>,
): Pop3dSettings {
  // Our own keys (COURIER_TS_*) may come from the files or from the environment.
  const src: KeySource = { get: (k) => files.get(k) ?? environment[k] };
  return {
    runtime: resolveRuntimeSettings(src, RUNTIME_NAMES),
    starttls: courierBool(src.get('POP3_STARTTLS'), false),
    tlsRequired: courierBool(src.get('POP3_TLS_REQUIRED'), false),
    pop3auth: (src.get('POP3AUTH') ?? '').trim(),
    pop3authTls: (src.get('POP3AUTH_TLS') ?? '').trim(),
    maildirPath: src.get('MAILDIRPATH') || 'Maildir',
    authServices: authServices(environment),
    failDelayMs: courierInt(src.get('COURIER_TS_LOGIN_FAIL_DELAY'), 5000),
    preLoginTimeoutMs: courierInt(src.get('COURIER_TS_PRELOGIN_TIMEOUT'), 60) * 1000,
    idleTimeoutMs: courierInt(src.get('COURIER_TS_IDLE_TIMEOUT'), 300) * 1000,
    maxLineLength: 8190,
    maxBadCommands: courierInt(src.get('COURIER_TS_MAX_BAD_COMMANDS'), 50),
    unicodeMessageType: src.get('MIME_UNICODE_MESSAGE_TYPE') || 'message/global',
    logDeletions: courierBool(src.get('POP3_LOG_DELETIONS'), false),
    respCodes: courierBool(src.get('POP3_RESP_CODES'), false),
    loginDelaySeconds: Math.max(0, courierInt(src.get('COURIER_TS_LOGIN_DELAY'), 0)),
    hostname: src.get('HOSTNAME') || hostname(),
    env: environment,
  };
}

/** Courier's CAPA list (pop3dcapa.c), plus RESP-CODES/AUTH-RESP-CODE when enabled. */
export function capaLines(s: Pop3dSettings, tls: boolean, starttls: boolean, external = false): string[] {
  const list = tls && s.pop3authTls !== '' ? s.pop3authTls : s.pop3auth;
  // pop3dcapa(): EXTERNAL follows the list once TLS gave a login id (TLS_EXTERNAL)
  const sasl = [list, tls && external ? 'EXTERNAL' : ''].filter((m) => m !== '').join(' ');
  const out: string[] = [];
  if (sasl !== '') out.push(`SASL ${sasl}`);
  if (starttls) out.push('STLS');
  out.push(
    'TOP',
    'USER',
    `LOGIN-DELAY ${s.loginDelaySeconds > 0 ? s.loginDelaySeconds : 10}`,
    'PIPELINING',
    'UIDL',
    'UTF8 USER',
  );
  if (s.respCodes) out.push('RESP-CODES', 'AUTH-RESP-CODE');
  out.push('IMPLEMENTATION Courier Mail Server');
  return out;
}
