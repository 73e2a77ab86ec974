/** loadRcFile: one authlib `NAME value` file (authmysqlrc, authpgsqlrc, authsqliterc, authldaprc). */

import { basename } from 'node:path';
import { ConfigError } from '../errors.js';
import { parseRcText } from '../formats/rc.js';
import { schemaFor } from '../schema/index.js';
import type { Schema } from '../schema/types.js';
import type { FileKind, LoadedConfig, LoadRcFileOptions } from '../types.js';
import { createLoadedConfig } from './loaded-config.js';
import { readConfigFile } from './read-file.js';
import { resolveSettings } from './resolve.js';

const RC_KINDS = ['authmysqlrc', 'authpgsqlrc', 'authsqliterc', 'authldaprc'] as const;
type RcKind = (typeof RC_KINDS)[number];

function kindOf(path: string, options: LoadRcFileOptions): RcKind | undefined {
  if (options.kind) return options.kind;
  const name = basename(path);
  return RC_KINDS.find((k) => name === k || name.startsWith(`${k}.`));
}

/**
 * Reads the file (a missing file is a warning, as for the other loaders). The kind comes from the file
 * name (`authmysqlrc`, `authldaprc.local` ...) or `options.kind`; a name that says neither is a ConfigError.
 */
export async function loadRcFile(path: string, options: LoadRcFileOptions = {}): Promise<LoadedConfig> {
  const kind = kindOf(path, options);
  if (!kind) {
    throw new ConfigError(
      'INVALID_OPTIONS',
      `cannot tell which module ${path} belongs to; pass { kind: 'authmysqlrc' | 'authpgsqlrc' | 'authsqliterc' | 'authldaprc' }`,
    );
  }
  const fileKind: FileKind = kind;
  const read = await readConfigFile(path, fileKind);
  const parsed = read.text === undefined ? undefined : parseRcText(read.text);
  const settings = (parsed?.assignments ?? []).map((a) => ({ ...a, file: path }));
  const known: Schema = schemaFor(kind);
  const resolved = resolveSettings({ settings, known, defaults: known });
  const parseProblems = (parsed?.problems ?? []).map((p) => ({
    severity: p.severity,
    file: path,
    ...(p.line !== undefined ? { line: p.line } : {}),
    ...(p.key ? { key: p.key } : {}),
    message: p.message,
  }));
  return createLoadedConfig({
    name: fileKind,
    files: [read.status],
    entries: resolved.entries,
    problems: [...(read.problem ? [read.problem] : []), ...parseProblems, ...resolved.problems].sort(
      (a, b) => (a.line ?? 0) - (b.line ?? 0),
    ),
  });
}
