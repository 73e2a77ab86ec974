import { type Logger, pino } from 'pino';
import { AuthlibError } from '../errors.js';

export const DEFAULT_CONFIG_DIR = '/etc/courier';

/** Our own leading options (`--config-dir DIR`, `--verbose`), taken only before Courier's own. */
export interface OwnOptions {
  readonly configDir: string;
  readonly configDirGiven: boolean;
  readonly verbose: boolean;
  /** The remaining arguments, for Courier's own parser. */
  readonly rest: string[];
}

export function takeOwnOptions(args: readonly string[], env: NodeJS.ProcessEnv): OwnOptions {
  let configDir = env.COURIER_TS_CONFIG_DIR || DEFAULT_CONFIG_DIR;
  let configDirGiven = false;
  let verbose = false;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--verbose') verbose = true;
    else if (a === '--config-dir' && i + 1 < args.length) {
      configDir = args[++i]!;
      configDirGiven = true;
    } else if (a.startsWith('--config-dir=')) {
      configDir = a.slice('--config-dir='.length);
      configDirGiven = true;
    } else break;
  }
  return { configDir, configDirGiven, verbose, rest: args.slice(i) };
}

/** A logger on stderr: silent unless --verbose (then debug). Secrets are never passed to it. */
export function cliLogger(verbose: boolean, name: string): Logger {
  return pino({ name, level: verbose ? 'debug' : 'silent' }, pino.destination({ fd: 2, sync: true }));
}

export function hasControlChars(s: string): boolean {
  return /[\0-\x1f\x7f]/.test(s);
}

/** Configuration problems (unreadable or malformed authdaemonrc) as one stderr line, not a stack trace. */
export function describeConfigError(err: unknown): string | undefined {
  return err instanceof AuthlibError ? err.message : undefined;
}
