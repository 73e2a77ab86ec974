/**
 * The effective-configuration printer (`imapd config`, `pop3d config`): every setting in force, one line
 * per key, as sh that could be sourced again, with its source as a comment:
 *
 *   IMAP_CAPABILITY_TLS="IMAP4rev1 ... AUTH=PLAIN"   # /etc/courier/imapd:187
 *
 * `changed` keeps only values that differ from Debian's defaults; `json` prints one JSON document.
 */

import { formatProblem, formatSource } from '../load/format.js';
import type { ConfigEntry, LoadedConfig } from '../types.js';
import type { TextOutput } from './output.js';

export interface PrintConfigOptions {
  /** Only settings whose value differs from the default. */
  readonly changed?: boolean;
  /** One JSON document instead of text. */
  readonly json?: boolean;
}

/** Column where the `# source` comments start (longer settings push theirs further right). */
const COMMENT_COLUMN = 48;

/** The value as sh would need it written: bare when safe, else double-quoted with `\ " $ `` escaped. */
export function shQuote(value: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `"${value.replace(/[\\"$`]/g, (c) => `\\${c}`)}"`;
}

function describeSource(e: ConfigEntry): string {
  const notes = [formatSource(e.source)];
  if (!e.known) notes.push(e.canonicalKey ? `unknown key (did you mean ${e.canonicalKey}?)` : 'unknown key');
  else if (e.source.kind !== 'default' && e.isDefault) notes.push('same as default');
  return notes.join(', ');
}

function jsonEntry(e: ConfigEntry): Record<string, unknown> {
  return {
    key: e.key,
    value: e.value,
    source: formatSource(e.source),
    ...(e.source.kind === 'file' ? { file: e.source.file, line: e.source.line } : {}),
    isDefault: e.isDefault,
    known: e.known,
    ...(e.canonicalKey ? { canonicalKey: e.canonicalKey } : {}),
  };
}

export function printConfig(cfg: LoadedConfig, options: PrintConfigOptions, out: TextOutput): void {
  const entries = cfg.entries().filter((e) => !options.changed || !e.isDefault);
  if (options.json) {
    const doc = {
      name: cfg.name,
      files: cfg.files,
      settings: entries.map(jsonEntry),
      problems: cfg.problems,
    };
    out.write(`${JSON.stringify(doc, null, 2)}\n`);
    return;
  }
  const fileList = cfg.files
    .map((f) => (f.status === 'read' ? f.path : `${f.path} (${f.status})`))
    .join(', ');
  out.write(
    `# ${cfg.name}: ${options.changed ? 'settings that differ from the defaults' : 'every setting in force'}\n`,
  );
  out.write(`# files: ${fileList || '(none)'}\n`);
  const lines = entries.map((e) => ({ text: `${e.key}=${shQuote(e.value)}`, note: describeSource(e) }));
  const width = Math.min(COMMENT_COLUMN, Math.max(0, ...lines.map((l) => l.text.length)));
  for (const l of lines) out.write(`${l.text.padEnd(width)}  # ${l.note}\n`);
  if (lines.length === 0) out.write('# (no settings differ from the defaults)\n');
  const errors = cfg.problems.filter((p) => p.severity === 'error').length;
  const warnings = cfg.problems.length - errors;
  if (cfg.problems.length > 0) {
    out.write(
      `# ${errors} error(s), ${warnings} warning(s); the first: ${formatProblem(cfg.problems[0]!)}\n`,
    );
  }
}
