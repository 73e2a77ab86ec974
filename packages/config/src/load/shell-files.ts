/** Reads a chain of sh fragments as one `set -a` load (base file, then -ssl file). */

import { join } from 'node:path';
import { readShellText } from '../formats/shell.js';
import { findKeySpec } from '../schema/index.js';
import type { Schema } from '../schema/types.js';
import type { ConfigFileStatus, ConfigProblem, EnvLike, FileKind } from '../types.js';
import { readConfigFile } from './read-file.js';
import type { FileSetting } from './resolve.js';

export interface ShellChainResult {
  readonly files: ConfigFileStatus[];
  readonly settings: FileSetting[];
  readonly problems: ConfigProblem[];
  /** Raw texts of the files read, by path (for format-specific second readings such as authdaemond's). */
  readonly texts: Map<string, string>;
}

export async function readShellChain(
  configDir: string,
  kinds: readonly FileKind[],
  env: EnvLike | undefined,
  known: Schema,
  fileNames?: Partial<Record<FileKind, string>>,
): Promise<ShellChainResult> {
  const files: ConfigFileStatus[] = [];
  const settings: FileSetting[] = [];
  const problems: ConfigProblem[] = [];
  const texts = new Map<string, string>();
  let vars: ReadonlyMap<string, string> = new Map();
  for (const kind of kinds) {
    const path = join(configDir, fileNames?.[kind] ?? kind);
    const read = await readConfigFile(path, kind);
    files.push(read.status);
    if (read.problem) problems.push(read.problem);
    if (read.text === undefined) continue;
    texts.set(path, read.text);
    const result = readShellText(read.text, { vars, ...(env ? { overrides: env } : {}) });
    vars = result.vars;
    const firstInFile = new Map<string, { value: string; line: number }>();
    for (const a of result.assignments) {
      settings.push({ key: a.key, value: a.value, file: path, line: a.line });
      const prev = firstInFile.get(a.key);
      if (prev && prev.value !== a.value) {
        problems.push({
          severity: 'warning',
          file: path,
          line: a.line,
          key: a.key,
          message: `${a.key} is set again (also on line ${prev.line}); this later value wins`,
        });
      }
      firstInFile.set(a.key, { value: a.value, line: a.line });
    }
    for (const ref of result.unsetReferences) {
      const spec = findKeySpec(known, ref.name);
      if (spec?.default === undefined) continue;
      problems.push({
        severity: 'warning',
        file: path,
        line: ref.line,
        key: ref.name,
        message: `$${ref.name} is not set at this point (sh expands it to nothing, not to its default); set ${ref.name} earlier`,
      });
    }
    for (const p of result.problems) {
      problems.push({
        severity: p.severity,
        file: path,
        line: p.line,
        ...(p.key ? { key: p.key } : {}),
        message: p.message,
      });
    }
  }
  return { files, settings, problems, texts };
}
