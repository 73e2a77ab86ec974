/**
 * Cross-key checks of the TLS files. TLS is "in use" when the TLS listener is enabled (IMAPDSSLSTART /
 * POP3DSSLSTART), STARTTLS is offered (IMAPDSTARTTLS / POP3_STARTTLS) or required (*_TLS_REQUIRED):
 * then a missing certificate is an error; with TLS off it is only a warning (nothing would read it), and
 * default paths the admin never wrote are not checked at all.
 */

import { access, constants } from 'node:fs/promises';
import type { ConfigProblem, LoadedConfig, ServerName } from '../types.js';

const TLS_SWITCHES: Readonly<Record<ServerName, readonly string[]>> = {
  imapd: ['IMAPDSSLSTART', 'IMAPDSTARTTLS', 'IMAP_TLS_REQUIRED'],
  pop3d: ['POP3DSSLSTART', 'POP3_STARTTLS', 'POP3_TLS_REQUIRED'],
};

/** The keys that turn TLS on, and whether any of them does. */
export function tlsInUse(
  server: ServerName,
  cfg: Pick<LoadedConfig, 'getBool'>,
): { on: boolean; by: string[] } {
  const by = TLS_SWITCHES[server].filter((k) => cfg.getBool(k) === true);
  return { on: by.length > 0, by };
}

function locate(cfg: LoadedConfig, key: string): { file?: string; line?: number } {
  const src = cfg.entry(key)?.source;
  return src?.kind === 'file' ? { file: src.file, line: src.line } : {};
}

/** Where a value without a file:line came from, so the admin knows what to change. */
function isDefault(cfg: LoadedConfig, key: string): string {
  const kind = cfg.entry(key)?.source.kind;
  return kind === 'default' ? ' (the default)' : kind === 'env' ? ' (from the environment)' : '';
}

async function failure(path: string, mode: number): Promise<NodeJS.ErrnoException | undefined> {
  try {
    await access(path, mode);
    return undefined;
  } catch (err) {
    return err as NodeJS.ErrnoException;
  }
}

export type FileCheckMode = 'exists' | 'readable';

/**
 * `exists`: report missing files (used while loading). `readable`: report files that exist but cannot be
 * read by this process (used by `check`; missing ones were already reported while loading).
 */
export async function tlsFileProblems(
  server: ServerName,
  cfg: LoadedConfig,
  mode: FileCheckMode,
): Promise<ConfigProblem[]> {
  const tls = tlsInUse(server, cfg);
  const why = tls.on
    ? ` (TLS is enabled by ${tls.by.join(', ')})`
    : ' (TLS is disabled, so nothing reads it yet)';
  const problems: ConfigProblem[] = [];
  const cert = cfg.get('TLS_CERTFILE');
  if (mode === 'exists' && tls.on && (cert === undefined || cert === '')) {
    problems.push({
      severity: 'error',
      ...locate(cfg, 'TLS_CERTFILE'),
      key: 'TLS_CERTFILE',
      message: `TLS_CERTFILE is not set but TLS is enabled by ${tls.by.join(', ')}`,
    });
  }
  const verify = cfg.get('TLS_VERIFYPEER');
  const files: { key: string; needed: boolean }[] = [
    { key: 'TLS_CERTFILE', needed: tls.on },
    { key: 'TLS_PRIVATE_KEYFILE', needed: tls.on },
    { key: 'TLS_DHPARAMS', needed: false },
    ...(verify !== undefined && verify !== 'NONE' ? [{ key: 'TLS_TRUSTCERTS', needed: tls.on }] : []),
  ];
  for (const { key, needed } of files) {
    const path = cfg.get(key);
    if (path === undefined || path === '') continue;
    // With TLS off, only paths the admin wrote are worth a warning, not Debian's default paths.
    if (!tls.on && cfg.entry(key)?.source.kind === 'default') continue;
    const missing = await failure(path, constants.F_OK);
    if (mode === 'exists' && missing) {
      problems.push({
        severity: needed ? 'error' : 'warning',
        ...locate(cfg, key),
        key,
        message: `${key} ${path}${isDefault(cfg, key)} does not exist${needed ? why : key === 'TLS_DHPARAMS' ? '' : why}`,
      });
    } else if (mode === 'readable' && !missing) {
      const unreadable = await failure(path, constants.R_OK);
      if (unreadable) {
        problems.push({
          severity: needed ? 'error' : 'warning',
          ...locate(cfg, key),
          key,
          message: `${key} ${path}${isDefault(cfg, key)} is not readable by this user (${unreadable.code ?? unreadable.message})`,
        });
      }
    }
  }
  return problems;
}
