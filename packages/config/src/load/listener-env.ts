/**
 * The environment each listener of Courier's start scripts hands to its server: every key in force
 * (`set -a`), plus what the scripts set after sourcing the files (Debian 12 /usr/sbin/imapd, imapd-ssl,
 * pop3d, pop3d-ssl). Those script assignments come last, so they win over files and environment.
 */

import type { LoadedConfig, ServerName } from '../types.js';

export type ListenerKind = 'plain' | 'tls';

export function listenerEnvironment(
  cfg: LoadedConfig,
  server: ServerName,
  listener: ListenerKind,
): Record<string, string> {
  const env = cfg.environment();
  if (server === 'imapd') {
    if (listener === 'plain') env.IMAP_STARTTLS = cfg.get('IMAPDSTARTTLS') ?? '';
    else env.IMAP_TLS = '1';
  } else if (listener === 'tls') {
    env.POP3_TLS = '1';
    env.POP3_STARTTLS = 'NO';
    env.POP3_TLS_REQUIRED = '0';
  }
  return env;
}
