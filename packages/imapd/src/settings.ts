/** imapd / imapd-ssl keys (or the environment, in preauth mode) -> typed ImapdSettings. */
import { hostname } from 'node:os';
import {
  courierBool,
  courierInt,
  type KeySource,
  type RuntimeSettings,
  resolveRuntimeSettings,
} from '@courier-ts/runtime';

/** What the logged-in session needs: plain data (it crosses into a per-uid worker process). */
export interface ImapSessionSettings {
  /** IMAP_CAPABILITY (base list, before TLS). */
  readonly capability: string;
  /** IMAP_CAPABILITY_TLS (base list once TLS is active). */
  readonly capabilityTls: string;
  /** IMAP_ACL: Courier appends `ACL ACL2=UNION` (advertised only when ACL commands exist). */
  readonly acl: boolean;
  /** IMAP_DISABLETHREADSORT: SORT and THREAD stay advertised but are refused (Courier). */
  readonly disableThreadSort: boolean;
  /** IMAP_KEYWORDS: custom keywords (0 = off). */
  readonly keywords: boolean;
  /** IMAP_IDLE_TIMEOUT (s): fallback poll interval while idling (we also watch with inotify). */
  readonly idlePollMs: number;
  /** Autologout after this long without a command (Courier: 30 min). COURIER_TS_IDLE_TIMEOUT (s). */
  readonly idleTimeoutMs: number;
  /** IMAP_TRASHFOLDERNAME */
  readonly trashFolder: string;
  /** IMAP_EMPTYTRASH (`Trash:7`): purge these folders at login and logout ('' = off). */
  readonly emptyTrash: string;
  /** Consecutive `NO Error ...` replies before `* BYE [ALERT] Fatal error ...` (Courier: 10). */
  readonly maxBadCommands: number;
  /** Line / literal limits of the command parser. */
  readonly maxLineLength: number;
  readonly maxLiteralSize: number;
  readonly hostname: string;
}

export interface ImapdSettings {
  readonly runtime: RuntimeSettings;
  readonly session: ImapSessionSettings;
  /** IMAP_STARTTLS (network: from IMAPDSTARTTLS) : offer STARTTLS on the plain port. */
  readonly starttls: boolean;
  /** IMAP_TLS_REQUIRED: LOGINDISABLED until STARTTLS. */
  readonly tlsRequired: boolean;
  /** MAILDIRPATH */
  readonly maildirPath: string;
  readonly authServices: ReadonlyMap<number, string>;
  /** Delay before a failed-login reply (Courier: 5 s). COURIER_TS_LOGIN_FAIL_DELAY (ms). */
  readonly failDelayMs: number;
  /** Cap on the pre-login phase (Courier: 60 s). COURIER_TS_PRELOGIN_TIMEOUT (s). */
  readonly preLoginTimeoutMs: number;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Keys set to something we do not honour yet (logged as warnings at start). */
  readonly unsupported: readonly string[];
}

/** Courier keys whose non-default values we do not implement: key -> the value that is fine. */
const NOT_HONOURED: Readonly<Record<string, (v: string) => boolean>> = {
  IMAP_MOVE_EXPUNGE_TO_TRASH: (v) => !courierBool(v, false),
  IMAP_CHECK_ALL_FOLDERS: (v) => !courierBool(v, false),
  IMAP_OBSOLETE_CLIENT: (v) => !courierBool(v, false),
  IMAP_PROXY: (v) => !courierBool(v, false),
  OUTBOX: (v) => v.trim() === '',
  IMAP_LOG_DELETIONS: (v) => !courierBool(v, false),
  IMAPDEBUGFILE: (v) => v.trim() === '',
  SMAP_CAPABILITY: (v) => v.trim() === '',
};

function unsupportedKeys(src: KeySource): string[] {
  const out: string[] = [];
  for (const [k, fine] of Object.entries(NOT_HONOURED)) {
    const v = src.get(k);
    if (v !== undefined && !fine(v)) out.push(`${k}=${v}`);
  }
  return out;
}

const RUNTIME_NAMES = {
  startKey: 'IMAPDSTART',
  sslStartKey: 'IMAPDSSLSTART',
  defaultPort: '143',
  defaultSslPort: '993',
  defaultPidFile: '/run/courier/imapd.pid',
  defaultCertFile: '/etc/courier/imapd.pem',
} as const;

/** Courier's imapd binary assumes these when a variable is unset (not the stock config's values). */
const BINARY_DEFAULTS = {
  IMAP_CAPABILITY: 'IMAP4rev1',
  IMAP_KEYWORDS: '0',
  IMAP_ACL: '0',
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
 * Resolve every imapd setting. `files` is the loaded configuration (network mode) or the
 * environment (preauth); `environment` is what Courier's start script would export.
 */
export function resolveImapdSettings(
  files: KeySource,
  environment: Readonly<Record<string, string | undefined>>,
): ImapdSettings {
  const src: KeySource = { get: (k) => files.get(k) ?? environment[k] };
  const get = (k: keyof typeof BINARY_DEFAULTS): string => src.get(k) ?? BINARY_DEFAULTS[k];
  const capability = get('IMAP_CAPABILITY').trim();
  const starttlsKey = src.get('IMAP_STARTTLS') ?? src.get('IMAPDSTARTTLS');
  return {
    runtime: resolveRuntimeSettings(src, RUNTIME_NAMES),
    session: {
      capability,
      capabilityTls: (src.get('IMAP_CAPABILITY_TLS') ?? capability).trim(),
      acl: courierBool(get('IMAP_ACL'), false),
      disableThreadSort: courierBool(src.get('IMAP_DISABLETHREADSORT'), false),
      keywords: courierBool(get('IMAP_KEYWORDS'), false),
      idlePollMs: Math.max(1, courierInt(src.get('IMAP_IDLE_TIMEOUT'), 60)) * 1000,
      idleTimeoutMs: courierInt(src.get('COURIER_TS_IDLE_TIMEOUT'), 1800) * 1000,
      trashFolder: src.get('IMAP_TRASHFOLDERNAME') || 'Trash',
      emptyTrash: src.get('IMAP_EMPTYTRASH') ?? '',
      maxBadCommands: courierInt(src.get('COURIER_TS_MAX_BAD_COMMANDS'), 10),
      maxLineLength: courierInt(src.get('COURIER_TS_MAX_LINE'), 65536),
      maxLiteralSize: courierInt(src.get('COURIER_TS_MAX_LITERAL'), 2 ** 32 - 1),
      hostname: src.get('HOSTNAME') || hostname(),
    },
    starttls: courierBool(starttlsKey, false),
    tlsRequired: courierBool(src.get('IMAP_TLS_REQUIRED'), false),
    maildirPath: src.get('MAILDIRPATH') || 'Maildir',
    authServices: authServices(environment),
    failDelayMs: courierInt(src.get('COURIER_TS_LOGIN_FAIL_DELAY'), 5000),
    preLoginTimeoutMs: courierInt(src.get('COURIER_TS_PRELOGIN_TIMEOUT'), 60) * 1000,
    env: environment,
    unsupported: unsupportedKeys(src),
  };
}
