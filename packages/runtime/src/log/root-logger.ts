import { type Logger, pino } from 'pino';
import { REDACT_PATHS } from './redact.js';
import { createTextDestination, type TextSink } from './text-destination.js';

export type LogFormat = 'json' | 'text';

export interface RootLoggerOptions {
  /** `json` (default): one pino JSON object per line; `text`: Courier's `LEVEL: message` lines. */
  readonly format?: LogFormat;
  readonly level?: string;
  /** Where to write (default: process.stderr, as Courier writes its log to stderr). */
  readonly destination?: TextSink;
  /** Base fields of every record (e.g. `{ name: 'pop3d' }`). */
  readonly base?: Record<string, unknown>;
}

/** The root logger of a server process; everything else receives children of it. */
export function createRootLogger(options: RootLoggerOptions = {}): Logger {
  const out = options.destination ?? process.stderr;
  const format = options.format ?? 'json';
  const pinoOptions = {
    level: options.level ?? 'info',
    base: options.base ?? null,
    redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
  };
  if (format === 'text') return pino(pinoOptions, createTextDestination(out));
  return pino(pinoOptions, { write: (s: string) => void out.write(s) });
}

/** Parse a LOG format word from config/env (`text`, `syslog`, `plain` = text; anything else = json). */
export function parseLogFormat(value: string | undefined): LogFormat {
  const v = (value ?? '').toLowerCase();
  return v === 'text' || v === 'syslog' || v === 'plain' ? 'text' : 'json';
}
