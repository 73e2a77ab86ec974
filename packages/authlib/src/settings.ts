import { loadAuthdaemonrc } from '@courier-ts/config';
import { AuthConfigError } from './errors.js';

/** Settings authlib takes from authdaemonrc (and the environment). */
export interface AuthdaemonSettings {
  readonly authmodulelist: readonly string[];
  readonly daemons: number;
  readonly defaultOptions: string;
  readonly debugLogin: number;
  readonly authdaemonvar: string | undefined;
  /** Every key of the file, raw. */
  readonly values: ReadonlyMap<string, string>;
}

export const DEFAULT_AUTHMODULELIST: readonly string[] = ['authuserdb', 'authpam'];
export const DEFAULT_AUTHDAEMON_SOCKET = '/run/courier/authdaemon/socket';

/**
 * authdaemond's own parser: `#` starts a comment anywhere; `name=value` with no space before `=`;
 * whitespace after `=` is skipped; a value starting with `"` runs to the next `"`; a non-empty line
 * without `=` is fatal. (authdaemond's own view; createAuthenticator reads the file through
 * @courier-ts/config's loadAuthdaemonrc.)
 */
export function parseAuthdaemonrc(text: string, fileName = 'authdaemonrc'): Map<string, string> {
  const values = new Map<string, string>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    const trimmedStart = line.replace(/^\s+/, '');
    if (trimmedStart === '' || trimmedStart.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const hash = line.indexOf('#');
    if (eq < 0 || (hash >= 0 && hash < eq)) {
      throw new AuthConfigError('CONFIG_SYNTAX', `${fileName}:${i + 1}: syntax error`);
    }
    const name = line.slice(0, eq).trim();
    line = line.slice(eq + 1).replace(/^[ \t]+/, '');
    let value: string;
    if (line.startsWith('"')) {
      const end = line.indexOf('"', 1);
      value = end < 0 ? line.slice(1) : line.slice(1, end);
    } else {
      const h = line.indexOf('#');
      value = (h < 0 ? line : line.slice(0, h)).replace(/\s+$/, '');
    }
    values.set(name, value);
  }
  return values;
}

function wordList(v: string | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  return v.split(/\s+/).filter((w) => w !== '');
}

export function resolveAuthdaemonSettings(
  values: ReadonlyMap<string, string>,
  env: NodeJS.ProcessEnv,
): AuthdaemonSettings {
  const pick = (k: string): string | undefined => values.get(k) ?? env[k];
  const daemons = Number.parseInt(pick('daemons') ?? '5', 10);
  return {
    authmodulelist: wordList(pick('authmodulelist')) ?? DEFAULT_AUTHMODULELIST,
    daemons: Number.isFinite(daemons) && daemons > 0 ? daemons : 1,
    defaultOptions: pick('DEFAULTOPTIONS') ?? '',
    debugLogin: Number.parseInt(pick('DEBUG_LOGIN') ?? '0', 10) || 0,
    authdaemonvar: pick('authdaemonvar'),
    values,
  };
}

/**
 * Read `<configDir>/authdaemonrc` through @courier-ts/config (sh reading, Debian defaults for missing
 * keys or a missing file). A line authdaemond itself would refuse (no `=`) is fatal, as in Courier.
 */
export async function loadAuthdaemonSettings(
  configDir: string,
  env: NodeJS.ProcessEnv,
): Promise<AuthdaemonSettings> {
  const loaded = await loadAuthdaemonrc({ configDir, env });
  const err = loaded.problems.find((p) => p.severity === 'error');
  if (err) {
    const where = err.file ? `${err.file}${err.line ? `:${err.line}` : ''}: ` : '';
    throw new AuthConfigError(
      loaded.files.some((f) => f.status === 'unreadable') ? 'CONFIG_UNREADABLE' : 'CONFIG_SYNTAX',
      `${where}${err.message}`,
    );
  }
  const values = new Map<string, string>();
  for (const e of loaded.entries()) values.set(e.key, e.value);
  return resolveAuthdaemonSettings(values, {});
}

/** The authdaemond socket path: env AUTHDAEMON_SOCKET, else Debian's compiled-in path. */
export function authdaemonSocketPath(env: NodeJS.ProcessEnv): string {
  return env.AUTHDAEMON_SOCKET || DEFAULT_AUTHDAEMON_SOCKET;
}

/**
 * DEFDOMAIN: append it to a login name unless the name contains a character of DOMAINSEP (or, when
 * DOMAINSEP is unset, the first character of DEFDOMAIN).
 */
export function applyDefDomain(user: string, env: NodeJS.ProcessEnv): string {
  const defdomain = env.DEFDOMAIN;
  if (!defdomain) return user;
  const seps = env.DOMAINSEP || defdomain[0]!;
  for (const c of seps) if (user.includes(c)) return user;
  return user + defdomain;
}

/** The auth service for a login: `AUTHSERVICE<TCPLOCALPORT>` when set, else `imap` / `pop3`. */
export function authServiceName(defaultService: string, env: NodeJS.ProcessEnv, localPort?: number): string {
  const port = localPort ?? env.TCPLOCALPORT;
  return (port !== undefined && env[`AUTHSERVICE${port}`]) || defaultService;
}
