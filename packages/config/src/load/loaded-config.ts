/** The `LoadedConfig` object handed to callers: read-only views over resolved entries and problems. */

import type {
  ConfigEntry,
  ConfigFileStatus,
  ConfigProblem,
  FileKind,
  LoadedConfig,
  ServerName,
} from '../types.js';

/** Courier's truthiness (authlib's option test, the init scripts' y/Y test): t/T/y/Y prefix or atoi != 0. */
export function courierTruth(value: string): boolean {
  if (/^[tTyY]/.test(value)) return true;
  const m = /^\s*[+-]?[0-9]+/.exec(value);
  return m !== null && Number.parseInt(m[0], 10) !== 0;
}

export interface LoadedConfigParts {
  readonly name: ServerName | FileKind;
  readonly files: readonly ConfigFileStatus[];
  readonly entries: readonly ConfigEntry[];
  readonly problems: readonly ConfigProblem[];
}

export function createLoadedConfig(parts: LoadedConfigParts): LoadedConfig {
  const byKey = new Map(parts.entries.map((e) => [e.key, e]));
  const problems = Object.freeze([...parts.problems]);
  const files = Object.freeze([...parts.files]);
  return {
    name: parts.name,
    files,
    problems,
    get: (key) => byKey.get(key)?.value,
    getInt(key) {
      const v = byKey.get(key)?.value;
      return v !== undefined && /^\s*[+-]?[0-9]+\s*$/.test(v) ? Number.parseInt(v, 10) : undefined;
    },
    getBool(key) {
      const v = byKey.get(key)?.value;
      return v === undefined ? undefined : courierTruth(v);
    },
    has: (key) => byKey.has(key),
    entries: () => [...byKey.values()],
    entry: (key) => byKey.get(key),
    environment: () => Object.fromEntries([...byKey.values()].map((e) => [e.key, e.value])),
    hasErrors: () => problems.some((p) => p.severity === 'error'),
  };
}

/** Problems in reading order: by file (in load order), then line; problems without a file last. */
export function sortProblems(problems: readonly ConfigProblem[], files: readonly string[]): ConfigProblem[] {
  const rank = (p: ConfigProblem): number =>
    p.file === undefined ? files.length : Math.max(0, files.indexOf(p.file));
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => rank(a.p) - rank(b.p) || (a.p.line ?? 0) - (b.p.line ?? 0) || a.i - b.i)
    .map((x) => x.p);
}
