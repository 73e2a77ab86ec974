/** Anything that takes text (process.stderr, a test buffer). */
export interface TextSink {
  write(chunk: string): unknown;
}

/** pino numeric levels mapped to the words Courier puts before its messages. */
const LEVEL_WORDS: Readonly<Record<number, string>> = {
  10: 'DEBUG',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERR',
  60: 'CRIT',
};

/**
 * A pino destination that writes one plain line per record, Courier style
 * (`INFO: LOGIN, user=x, ip=[::ffff:127.0.0.1], port=[1234]`), for syslog/courierlogger.
 * A record may carry `courierLevel` (e.g. `ALERT`, `NOTICE`) to override the level word.
 */
export function createTextDestination(out: TextSink): { write(chunk: string): void } {
  return {
    write(chunk: string): void {
      for (const line of chunk.split('\n')) {
        if (line === '') continue;
        let rec: { level?: number; msg?: string; courierLevel?: string; err?: { message?: string } };
        try {
          rec = JSON.parse(line) as typeof rec;
        } catch {
          out.write(`${line}\n`);
          continue;
        }
        const word = rec.courierLevel ?? LEVEL_WORDS[rec.level ?? 30] ?? 'INFO';
        const msg = rec.msg ?? rec.err?.message ?? '';
        out.write(`${word}: ${msg}\n`);
      }
    },
  };
}
