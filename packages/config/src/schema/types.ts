/** Schema types: what a key holds, its Debian default, and what it means. */

export type ValueType =
  /** Free text. */
  | { readonly kind: 'string' }
  /** Decimal integer, optionally bounded; `allowEmpty` when an empty value means "off". */
  | { readonly kind: 'integer'; readonly min?: number; readonly max?: number; readonly allowEmpty?: boolean }
  /** YES/NO style switch (also y/n, true/false, 1/0, any case). */
  | { readonly kind: 'yesno' }
  /** 0/1 numeric switch (Courier tests atoi() != 0). */
  | { readonly kind: 'flag' }
  /** couriertcpd port list: `port[,ip.port]...`. */
  | { readonly kind: 'ports' }
  /** Listen address: `0` (all), an IP address or a host name. */
  | { readonly kind: 'address' }
  /** A file system path (not checked). */
  | { readonly kind: 'path'; readonly allowEmpty?: boolean }
  /** A file that must exist when the feature using it is enabled (checked by the loader and `check`). */
  | { readonly kind: 'file' }
  /** Space-separated words, optionally from a fixed set. */
  | { readonly kind: 'words'; readonly allowed?: readonly string[] }
  /** One of a fixed set of values. */
  | { readonly kind: 'enum'; readonly values: readonly string[]; readonly caseInsensitive?: boolean }
  /** An octal umask such as 022. */
  | { readonly kind: 'umask' }
  /** Text matching a pattern; `expected` describes the form for error messages. */
  | { readonly kind: 'pattern'; readonly re: RegExp; readonly expected: string };

export interface KeySpec {
  /** The key as Courier spells it; for pattern keys a display form such as `AUTHSERVICE<port>`. */
  readonly key: string;
  /** For families of keys (`AUTHSERVICE143`): the pattern they match. */
  readonly keyPattern?: RegExp;
  readonly type: ValueType;
  /** Debian's default as sh text (may contain `$VAR`); undefined = unset unless configured. */
  readonly default?: string;
  /** One-line meaning. */
  readonly meaning: string;
  /**
   * courier-ts does not implement what this key switches on: `when(value)` says whether a value asks
   * for it, `what` names what is missing. Servers warn at start; the checker should report it too.
   */
  readonly notHonoured?: { readonly when: (value: string) => boolean; readonly what: string };
}

export interface Schema {
  readonly kind: string;
  readonly keys: readonly KeySpec[];
}
