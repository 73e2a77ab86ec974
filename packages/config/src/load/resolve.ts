/**
 * Turns the assignments read from files into the settings in force: the last file assignment wins, the
 * environment overrides it, defaults fill the keys nobody set; every value is validated against the schema
 * and every unknown key is reported with a did-you-mean.
 */

import { expandShellTemplate } from '../formats/shell.js';
import { candidateKeys, findKeySpec } from '../schema/index.js';
import { suggestKey } from '../schema/suggest.js';
import type { Schema } from '../schema/types.js';
import { validateValue } from '../schema/validate.js';
import type { ConfigEntry, ConfigProblem, ConfigSource, EnvLike } from '../types.js';

/** One assignment read from a file. */
export interface FileSetting {
  readonly key: string;
  readonly value: string;
  readonly file: string;
  readonly line: number;
}

export interface ResolveInput {
  /** File assignments in load order (later wins). */
  readonly settings: readonly FileSetting[];
  /** Variables of the same name override the files; known keys found only here are added. */
  readonly env?: EnvLike;
  /** Every key the program reads: decides known/unknown and validates values. */
  readonly known: Schema;
  /** The keys whose defaults apply (those of the files that were part of this load). */
  readonly defaults: Schema;
}

export interface ResolveResult {
  readonly entries: readonly ConfigEntry[];
  readonly problems: readonly ConfigProblem[];
}

interface Draft {
  key: string;
  value: string;
  source: ConfigSource;
  /** Where the key was written in a file, even if the environment overrides it. */
  fileSource?: { file: string; line: number };
}

function envKeysFor(known: Schema, env: EnvLike): string[] {
  const out: string[] = [];
  for (const spec of known.keys) {
    if (spec.keyPattern) {
      const re = spec.keyPattern;
      out.push(
        ...Object.keys(env)
          .filter((k) => re.test(k))
          .sort(),
      );
    } else if (env[spec.key] !== undefined) {
      out.push(spec.key);
    }
  }
  return out;
}

export function resolveSettings(input: ResolveInput): ResolveResult {
  const env = input.env ?? {};
  const ordered = new Map<string, Draft>(); // Map.set on an existing key keeps its position
  for (const s of input.settings) {
    const fileSource = { file: s.file, line: s.line };
    ordered.set(s.key, { key: s.key, value: s.value, source: { kind: 'file', ...fileSource }, fileSource });
  }
  for (const d of ordered.values()) {
    const v = env[d.key];
    if (v !== undefined) {
      d.value = v;
      d.source = { kind: 'env' };
    }
  }
  for (const key of envKeysFor(input.known, env)) {
    if (!ordered.has(key)) ordered.set(key, { key, value: env[key]!, source: { kind: 'env' } });
  }
  const lookup = (name: string): string | undefined => ordered.get(name)?.value;
  for (const spec of input.defaults.keys) {
    if (spec.default === undefined || spec.keyPattern || ordered.has(spec.key)) continue;
    ordered.set(spec.key, {
      key: spec.key,
      value: expandShellTemplate(spec.default, lookup),
      source: { kind: 'default' },
    });
  }

  const problems: ConfigProblem[] = [];
  const candidates = candidateKeys(input.known);
  const entries: ConfigEntry[] = [];
  for (const d of ordered.values()) {
    const spec = findKeySpec(input.known, d.key);
    const locFields = d.source.kind === 'file' && d.fileSource ? { ...d.fileSource } : {};
    let canonicalKey: string | undefined;
    if (!spec) {
      const suggestion = suggestKey(d.key, candidates);
      if (suggestion && suggestion.toLowerCase() === d.key.toLowerCase()) canonicalKey = suggestion;
      const hint = suggestion
        ? canonicalKey
          ? `; did you mean ${suggestion}? (keys are case-sensitive)`
          : `; did you mean ${suggestion}?`
        : '';
      problems.push({
        severity: 'warning',
        ...(d.fileSource ? { file: d.fileSource.file, line: d.fileSource.line } : {}),
        key: d.key,
        message: `unknown key ${d.key} (kept, but nothing reads it)${hint}`,
        ...(suggestion ? { suggestion } : {}),
      });
    } else if (d.source.kind !== 'default') {
      const err = validateValue(spec.type, d.value);
      if (err) {
        const from = d.source.kind === 'env' ? ' (from the environment)' : '';
        problems.push({ severity: 'error', ...locFields, key: d.key, message: `${d.key}${from}: ${err}` });
      } else if (spec.notHonoured?.when(d.value)) {
        problems.push({
          severity: 'warning',
          ...locFields,
          key: d.key,
          message: `${d.key}: not supported, ignored: ${spec.notHonoured.what}`,
        });
      }
    }
    const def = spec?.default !== undefined ? expandShellTemplate(spec.default, lookup) : undefined;
    entries.push({
      key: d.key,
      value: d.value,
      source: d.source,
      isDefault: d.source.kind === 'default' || (def !== undefined && def === d.value),
      known: spec !== undefined,
      ...(canonicalKey ? { canonicalKey } : {}),
    });
  }
  return { entries, problems };
}
