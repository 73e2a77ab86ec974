/** Limits and extension switches of the command parser. */

export type NonSyncLiteralMode = 'plus' | 'minus' | 'none';

export interface CommandParserOptions {
  /** Bytes of command text per line, literal contents excluded (default 65536). */
  readonly maxLineLength?: number;
  /** Longest atom; longer is fatal as in Courier (`max atom size too small`) (default 16384). */
  readonly maxAtomLength?: number;
  /** Longest quoted string (default 8192, Courier's limit). */
  readonly maxQuotedLength?: number;
  /** Largest literal accepted at all; advertised as APPENDLIMIT (default 4294967295). */
  readonly maxLiteralSize?: number;
  /** Largest literal the parser buffers itself; larger ones must be streamed (default 1 MiB). */
  readonly maxBufferedLiteral?: number;
  /** Deepest parenthesis nesting (default 32). */
  readonly maxDepth?: number;
  /** Most tokens on one command line, nested ones included (default 4096). */
  readonly maxArguments?: number;
  /** `{n+}`: LITERAL+ (any size), LITERAL- (up to 4096) or refused as Courier does (default 'plus'). */
  readonly nonSyncLiterals?: NonSyncLiteralMode;
}

export interface ResolvedParserOptions {
  readonly maxLineLength: number;
  readonly maxAtomLength: number;
  readonly maxQuotedLength: number;
  readonly maxLiteralSize: number;
  readonly maxBufferedLiteral: number;
  readonly maxDepth: number;
  readonly maxArguments: number;
  readonly nonSyncLiterals: NonSyncLiteralMode;
}

/** RFC 7888: the largest non-synchronizing literal under LITERAL-. */
export const LITERAL_MINUS_MAX = 4096;

export function resolveParserOptions(options: CommandParserOptions = {}): ResolvedParserOptions {
  return {
    maxLineLength: options.maxLineLength ?? 65536,
    maxAtomLength: options.maxAtomLength ?? 16384,
    maxQuotedLength: options.maxQuotedLength ?? 8192,
    maxLiteralSize: options.maxLiteralSize ?? 4294967295,
    maxBufferedLiteral: options.maxBufferedLiteral ?? 1024 * 1024,
    maxDepth: options.maxDepth ?? 32,
    maxArguments: options.maxArguments ?? 4096,
    nonSyncLiterals: options.nonSyncLiterals ?? 'plus',
  };
}
