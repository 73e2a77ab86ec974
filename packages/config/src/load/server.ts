/** loadServerConfig: `<dir>/<server>` then `<dir>/<server>-ssl`, environment overrides, Debian defaults. */

import { ConfigError } from '../errors.js';
import { mergeSchemas, schemaFor, serverSchema } from '../schema/index.js';
import type { FileKind, LoadedConfig, LoadServerConfigOptions, ServerName } from '../types.js';
import { createLoadedConfig, sortProblems } from './loaded-config.js';
import { resolveSettings } from './resolve.js';
import { readShellChain } from './shell-files.js';
import { tlsFileProblems } from './tls-checks.js';

/** The files of a server in load order. */
export function serverFileKinds(server: ServerName, includeSsl = true): FileKind[] {
  const base: FileKind = server;
  const ssl: FileKind = server === 'imapd' ? 'imapd-ssl' : 'pop3d-ssl';
  return includeSsl ? [base, ssl] : [base];
}

export interface LoadServerConfigExtra {
  /** Check that TLS_CERTFILE and friends exist (default true). */
  readonly checkFiles?: boolean;
}

export async function loadServerConfig(
  options: LoadServerConfigOptions & LoadServerConfigExtra,
): Promise<LoadedConfig> {
  const { server, configDir, env } = options;
  if (server !== 'imapd' && server !== 'pop3d') {
    throw new ConfigError('INVALID_OPTIONS', `unknown server ${String(server)} (expected imapd or pop3d)`);
  }
  if (typeof configDir !== 'string' || configDir === '') {
    throw new ConfigError('INVALID_OPTIONS', 'configDir must be a non-empty path');
  }
  const kinds = serverFileKinds(server, options.includeSsl ?? true);
  const chain = await readShellChain(configDir, kinds, env, serverSchema(server));
  const resolved = resolveSettings({
    settings: chain.settings,
    ...(env ? { env } : {}),
    known: serverSchema(server),
    defaults: mergeSchemas(server, kinds.map(schemaFor)),
  });
  const paths = chain.files.map((f) => f.path);
  const draft = createLoadedConfig({
    name: server,
    files: chain.files,
    entries: resolved.entries,
    problems: [],
  });
  const fileProblems = options.checkFiles === false ? [] : await tlsFileProblems(server, draft, 'exists');
  return createLoadedConfig({
    name: server,
    files: chain.files,
    entries: resolved.entries,
    problems: sortProblems([...chain.problems, ...resolved.problems, ...fileProblems], paths),
  });
}
