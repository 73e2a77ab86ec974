/** Text forms of sources and problems, shared by the CLI and by callers that log problems. */

import type { ConfigProblem, ConfigSource } from '../types.js';

/** `/etc/courier/imapd-ssl:42`, `environment` or `default`. */
export function formatSource(source: ConfigSource): string {
  switch (source.kind) {
    case 'file':
      return `${source.file}:${source.line}`;
    case 'env':
      return 'environment';
    case 'default':
      return 'default';
  }
}

/** `file:line: severity: message` (the location is omitted when unknown, `environment` for env values). */
export function formatProblem(p: ConfigProblem): string {
  const where = p.file ? (p.line ? `${p.file}:${p.line}` : p.file) : undefined;
  return `${where ? `${where}: ` : ''}${p.severity}: ${p.message}`;
}
