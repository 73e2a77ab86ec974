/**
 * Public data types of @courier-ts/config. Everything here is plain data: no classes, no I/O.
 */

/** The two servers whose configuration is a base file plus an `-ssl` file. */
export type ServerName = 'imapd' | 'pop3d';

/** Every config file kind that has a schema. */
export type FileKind =
  | 'imapd'
  | 'imapd-ssl'
  | 'pop3d'
  | 'pop3d-ssl'
  | 'authdaemonrc'
  | 'authmysqlrc'
  | 'authpgsqlrc'
  | 'authsqliterc'
  | 'authldaprc';

/** Where a value in force came from. `line` is 1-based (the line the assignment starts on). */
export type ConfigSource =
  | { readonly kind: 'file'; readonly file: string; readonly line: number }
  | { readonly kind: 'env' }
  | { readonly kind: 'default' };

/** One setting in force. */
export interface ConfigEntry {
  /** The key exactly as written (Courier looks keys up case-sensitively, so `get()` does too). */
  readonly key: string;
  /** The value after sh quote removal and `$VAR` expansion. */
  readonly value: string;
  readonly source: ConfigSource;
  /** True when the value equals the (expanded) schema default, whatever its source. */
  readonly isDefault: boolean;
  /** True when the schema knows the key (exact, case-sensitive match). */
  readonly known: boolean;
  /**
   * For an unknown key that matches a known key case-insensitively (`address` for `ADDRESS`): that known
   * key. The entry is still stored and looked up under `key`, as Courier would (it would ignore it).
   */
  readonly canonicalKey?: string;
}

export type ProblemSeverity = 'error' | 'warning';

/** A problem found while loading or checking. `file`/`line` are absent for environment and default values. */
export interface ConfigProblem {
  readonly severity: ProblemSeverity;
  readonly file?: string;
  readonly line?: number;
  readonly key?: string;
  readonly message: string;
  /** For unknown keys: the closest known key (the message already says "did you mean X?"). */
  readonly suggestion?: string;
}

/** A file the loader tried to read. */
export interface ConfigFileStatus {
  readonly path: string;
  readonly kind: FileKind;
  /** `read`: parsed; `missing`: ENOENT (defaults apply); `unreadable`: any other error (see problems). */
  readonly status: 'read' | 'missing' | 'unreadable';
}

/** A loaded configuration: the files, the environment and the defaults merged, with provenance. */
export interface LoadedConfig {
  /** What was loaded: a server (`imapd`, `pop3d`) or one file kind. */
  readonly name: ServerName | FileKind;
  /** The files in load order (later files override earlier ones). */
  readonly files: readonly ConfigFileStatus[];
  /** Every problem found, errors and warnings, in file order. */
  readonly problems: readonly ConfigProblem[];
  /** The value in force, or undefined when the key is unset (case-sensitive, as Courier). */
  get(key: string): string | undefined;
  /** The value as a decimal integer; undefined when unset or not an integer (the problems list says why). */
  getInt(key: string): number | undefined;
  /**
   * Courier's truthiness: true when the value starts with t/T/y/Y (YES, true) or atoi(value) != 0 (`1`);
   * false for NO, 0, the empty string or anything else; undefined when unset.
   */
  getBool(key: string): boolean | undefined;
  has(key: string): boolean;
  /** One entry per key in force: file keys in file order, then environment-only keys, then defaults. */
  entries(): ConfigEntry[];
  /** The entry for a key, with its provenance. */
  entry(key: string): ConfigEntry | undefined;
  /** Every key in force as the start script would export it (`set -a`): files, env overrides, defaults. */
  environment(): Record<string, string>;
  /** True when at least one problem is an error. */
  hasErrors(): boolean;
}

/** Environment as passed in (`process.env` fits). */
export type EnvLike = Readonly<Record<string, string | undefined>>;

export interface LoadServerConfigOptions {
  readonly server: ServerName;
  /** Directory holding `imapd`, `imapd-ssl`, `pop3d`, `pop3d-ssl` (Courier: /etc/courier). */
  readonly configDir: string;
  /**
   * Variables of the same name override the files and are visible to `$VAR` expansion. Defaults to no
   * environment (pass `process.env` explicitly: libraries never read it on their own).
   */
  readonly env?: EnvLike;
  /** Load `<server>-ssl` on top of `<server>` (default true), as both of Courier's start scripts do. */
  readonly includeSsl?: boolean;
}

export interface LoadAuthdaemonrcOptions {
  /** Directory holding `authdaemonrc` (Courier: /etc/courier). */
  readonly configDir: string;
  readonly env?: EnvLike;
  /** File name inside configDir (default `authdaemonrc`). */
  readonly fileName?: string;
}

export interface LoadRcFileOptions {
  /** Which schema to check against; default: from the file name (`authmysqlrc` ...), else none. */
  readonly kind?: 'authmysqlrc' | 'authpgsqlrc' | 'authsqliterc' | 'authldaprc';
}
