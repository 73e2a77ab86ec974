/** imapd / imapd-ssl keys (or the environment, in preauth mode) -> typed ImapdSettings. */
import { hostname } from 'node:os';
import { serverSchema } from '@courier-ts/config';
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
  /**
   * IMAP_MOVE_EXPUNGE_TO_TRASH: EXPUNGE / UID EXPUNGE (and CLOSE through expungeOnClose) outside the
   * trash folder move the \Deleted messages into it (T and D flags dropped) unless this session copied them.
   */
  readonly moveExpungeToTrash: boolean;
  /** IMAP_CHECK_ALL_FOLDERS: LIST / LSUB give every folder \Marked or \Unmarked (else INBOX only). */
  readonly checkAllFolders: boolean;
  /** IMAP_OBSOLETE_CLIENT: `\NoInferiors` instead of `\HasNoChildren`, and no `\HasChildren`. */
  readonly obsoleteClient: boolean;
  /** IMAP_LOG_DELETIONS: an `INFO: EXPUNGED, ...` log line per expunged message. */
  readonly logDeletions: boolean;
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
  /**
   * IMAP_UMASK as a number (Courier's start script runs `umask $IMAP_UMASK` before couriertcpd):
   * applied by `imapd run|start`, not in preauth mode (Courier's binary does not read it).
   */
  readonly umask: number | undefined;
  /** Keys set to something we do not honour (logged as warnings at start, see unsupportedKeys). */
  readonly unsupported: readonly string[];
}

/** C atoi(): leading white space, sign, digits; anything else is 0. */
function atoi(v: string | undefined): number {
  const m = /^\s*([+-]?\d+)/.exec(v ?? '');
  return m ? Number.parseInt(m[1]!, 10) : 0;
}

/**
 * `KEY=value: what is missing` for every key set to a value that asks for something courier-ts does
 * not implement (IMAP_PROXY, OUTBOX, IMAPDEBUGFILE, SMAP_CAPABILITY ...: the schema's `notHonoured`),
 * so that `imapd run|start` warns instead of silently ignoring it.
 */
function unsupportedKeys(src: KeySource): string[] {
  const out: string[] = [];
  for (const spec of serverSchema('imapd').keys) {
    const v = spec.notHonoured ? src.get(spec.key) : undefined;
    if (v !== undefined && spec.notHonoured?.when(v)) out.push(`${spec.key}=${v}: ${spec.notHonoured.what}`);
  }
  return out;
}

/** IMAP_UMASK (octal, e.g. `022`); undefined when unset or not an octal number. */
function parseUmask(v: string | undefined): number | undefined {
  if (v === undefined || !/^\s*0?[0-7]{1,3}\s*$/.test(v)) return undefined;
  return Number.parseInt(v.trim(), 8);
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
      // Courier: magictrash() and mailboxlist.c test atoi() != 0; IMAP_LOG_DELETIONS `cp && *cp != '0'`
      // (set at all, even empty, and not starting with 0).
      moveExpungeToTrash: atoi(src.get('IMAP_MOVE_EXPUNGE_TO_TRASH')) !== 0,
      checkAllFolders: atoi(src.get('IMAP_CHECK_ALL_FOLDERS')) !== 0,
      obsoleteClient: atoi(src.get('IMAP_OBSOLETE_CLIENT')) !== 0,
      logDeletions: !(src.get('IMAP_LOG_DELETIONS') ?? '0').startsWith('0'),
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
    umask: parseUmask(src.get('IMAP_UMASK')),
    unsupported: unsupportedKeys(src),
  };
}
