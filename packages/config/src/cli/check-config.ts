/**
 * The checker (`imapd check`, `pop3d check`): every problem found while loading, plus certificate files
 * this process cannot read, as `file:line: severity: message` lines, then a summary. Exit code 1 when
 * there is at least one error, else 0 (warnings alone do not fail).
 */

import { formatProblem } from '../load/format.js';
import { sortProblems } from '../load/loaded-config.js';
import { tlsFileProblems } from '../load/tls-checks.js';
import type { ConfigProblem, LoadedConfig } from '../types.js';
import type { TextOutput } from './output.js';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export async function checkConfig(cfg: LoadedConfig, out: TextOutput): Promise<number> {
  const extra: ConfigProblem[] =
    cfg.name === 'imapd' || cfg.name === 'pop3d' ? await tlsFileProblems(cfg.name, cfg, 'readable') : [];
  const problems = sortProblems(
    [...cfg.problems, ...extra],
    cfg.files.map((f) => f.path),
  );
  for (const p of problems) out.write(`${formatProblem(p)}\n`);
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  const read = cfg.files.filter((f) => f.status === 'read').map((f) => f.path);
  if (problems.length === 0) {
    out.write(
      `${cfg.name}: configuration OK (${plural(cfg.entries().length, 'setting')}; read ${read.join(', ') || 'no file'})\n`,
    );
  } else {
    out.write(`${cfg.name}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}\n`);
  }
  return errors > 0 ? 1 : 0;
}
