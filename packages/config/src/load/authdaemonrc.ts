/**
 * loadAuthdaemonrc: the sh reading of authdaemonrc (what reaches authdaemond's environment and what
 * authlib's modules read), plus warnings where authdaemond's own line parser, which reads only
 * `authmodulelist` and `daemons`, would see a different value, and errors for lines it rejects.
 */

import { AUTHDAEMOND_OWN_KEYS, readAuthdaemondView } from '../formats/authdaemonrc.js';
import { schemaFor } from '../schema/index.js';
import type { ConfigProblem, LoadAuthdaemonrcOptions, LoadedConfig } from '../types.js';
import { createLoadedConfig, sortProblems } from './loaded-config.js';
import { resolveSettings } from './resolve.js';
import { readShellChain } from './shell-files.js';

function daemonViewProblems(
  path: string,
  text: string,
  shValues: ReadonlyMap<string, string>,
): ConfigProblem[] {
  const view = readAuthdaemondView(text);
  const problems: ConfigProblem[] = view.badLines.map((line) => ({
    severity: 'error',
    file: path,
    line,
    message: "line without '=': authdaemond refuses to start on it",
  }));
  for (const key of AUTHDAEMOND_OWN_KEYS) {
    const own = view.lines.filter((l) => l.name === key).at(-1);
    const sh = shValues.get(key);
    if (own && sh !== undefined && own.value !== sh) {
      problems.push({
        severity: 'warning',
        file: path,
        line: own.line,
        key,
        message: `authdaemond reads ${key} as '${own.value}' but sh reads '${sh}'; keep the value simple (no #, $, ' or \\)`,
      });
    }
  }
  return problems;
}

export async function loadAuthdaemonrc(options: LoadAuthdaemonrcOptions): Promise<LoadedConfig> {
  const fileName = options.fileName ?? 'authdaemonrc';
  const schema = schemaFor('authdaemonrc');
  const chain = await readShellChain(options.configDir, ['authdaemonrc'], options.env, schema, {
    authdaemonrc: fileName,
  });
  const resolved = resolveSettings({
    settings: chain.settings,
    ...(options.env ? { env: options.env } : {}),
    known: schema,
    defaults: schema,
  });
  const shValues = new Map<string, string>();
  for (const s of chain.settings) shValues.set(s.key, s.value);
  const extra: ConfigProblem[] = [];
  for (const [path, text] of chain.texts) extra.push(...daemonViewProblems(path, text, shValues));
  return createLoadedConfig({
    name: 'authdaemonrc',
    files: chain.files,
    entries: resolved.entries,
    problems: sortProblems(
      [...chain.problems, ...resolved.problems, ...extra],
      chain.files.map((f) => f.path),
    ),
  });
}
