/**
 * The `config` and `check` subcommands shared by the imapd and pop3d CLIs: load, then print or check.
 * They return exit codes and write only to the outputs given.
 */

import { loadServerConfig } from '../load/server.js';
import type { EnvLike, ServerName } from '../types.js';
import { checkConfig } from './check-config.js';
import type { TextOutput } from './output.js';
import { printConfig } from './print-config.js';

export interface ServerConfigCommandOptions {
  readonly server: ServerName;
  readonly programName: string;
  readonly configDir: string;
  readonly env: EnvLike;
  readonly stdout: TextOutput;
  readonly stderr: TextOutput;
}

/** `<prog> config [--changed] [--json]`: exit 0 (problems are mentioned on stderr; `check` details them). */
export async function runConfigCommand(
  o: ServerConfigCommandOptions & { readonly changed?: boolean; readonly json?: boolean },
): Promise<number> {
  const cfg = await loadServerConfig({ server: o.server, configDir: o.configDir, env: o.env });
  printConfig(cfg, { changed: o.changed ?? false, json: o.json ?? false }, o.stdout);
  const errors = cfg.problems.filter((p) => p.severity === 'error').length;
  if (errors > 0 && !o.json) {
    o.stderr.write(
      `${o.programName}: ${errors} configuration error(s); run '${o.programName} check' for details\n`,
    );
  }
  return 0;
}

/** `<prog> check`: exit 1 when any error is found. */
export async function runCheckCommand(o: ServerConfigCommandOptions): Promise<number> {
  const cfg = await loadServerConfig({ server: o.server, configDir: o.configDir, env: o.env });
  return checkConfig(cfg, o.stdout);
}
