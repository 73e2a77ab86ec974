// Capture of a server's log output (pino JSON lines, or plain text) with an error-level check:
// a test fails on any error or fatal line it did not declare as expected.
import type { Readable } from 'node:stream';

export interface LogEntry {
  readonly stream: 'stdout' | 'stderr';
  readonly raw: string;
  /** The parsed pino object, when the line is JSON. */
  readonly json?: Record<string, unknown>;
  /** Numeric pino level (30 info, 40 warn, 50 error, 60 fatal), or a guess for text lines. */
  readonly level: number;
  readonly msg: string;
}

const LABELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };
const TEXT_ERROR =
  /^\s*(?:(?:Type|Range|Reference|Syntax|Eval|URI|Aggregate)?Error\b|Uncaught|FATAL\b|ERROR\b|node:internal)/;

export function parseLogLine(raw: string, stream: LogEntry['stream']): LogEntry {
  const t = raw.trim();
  if (t.startsWith('{')) {
    try {
      const json = JSON.parse(t) as Record<string, unknown>;
      const lv = json.level;
      const level = typeof lv === 'number' ? lv : (LABELS[String(lv).toLowerCase()] ?? 30);
      return { stream, raw, json, level, msg: String(json.msg ?? '') };
    } catch {
      // not JSON after all: fall through
    }
  }
  const label = /^\s*(TRACE|DEBUG|INFO|NOTICE|WARN(?:ING)?|ERR(?:OR)?|CRIT|ALERT|FATAL)\b/i
    .exec(t)?.[1]
    ?.toUpperCase();
  let level = 30;
  if (label === 'TRACE') level = 10;
  else if (label === 'DEBUG') level = 20;
  else if (label?.startsWith('WARN') || label === 'NOTICE' || label === 'ALERT') level = 40;
  else if (
    label === 'ERR' ||
    label === 'ERROR' ||
    label === 'CRIT' ||
    label === 'FATAL' ||
    TEXT_ERROR.test(t)
  )
    level = 50;
  return { stream, raw, level, msg: t };
}

export class LogCapture {
  readonly entries: LogEntry[] = [];
  private partial: Record<LogEntry['stream'], string> = { stdout: '', stderr: '' };
  private listeners: Array<() => void> = [];

  attach(stream: Readable, name: LogEntry['stream']): void {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const text = this.partial[name] + chunk;
      const lines = text.split('\n');
      this.partial[name] = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') this.entries.push(parseLogLine(line, name));
      for (const l of this.listeners) l();
    });
    stream.on('end', () => {
      if (this.partial[name].trim() !== '') this.entries.push(parseLogLine(this.partial[name], name));
      this.partial[name] = '';
      for (const l of this.listeners) l();
    });
  }

  /** Everything captured, as text (for failure messages). */
  text(): string {
    return this.entries.map((e) => e.raw).join('\n');
  }

  /** Error-level entries not matched by any of `allowed` (tested against the message and the raw line). */
  unexpectedErrors(allowed: readonly RegExp[] = []): LogEntry[] {
    return this.entries.filter(
      (e) => e.level >= 50 && !allowed.some((re) => re.test(e.msg) || re.test(e.raw)),
    );
  }

  /** Throws when an unexpected error-level line was logged. */
  assertNoErrors(allowed: readonly RegExp[] = [], who = 'server'): void {
    const bad = this.unexpectedErrors(allowed);
    if (bad.length > 0) {
      throw new Error(
        `${who} logged ${bad.length} unexpected error line(s):\n${bad.map((e) => e.raw).join('\n')}`,
      );
    }
  }

  /** Resolves with the first entry matching `pred` (already captured or arriving within timeoutMs). */
  waitFor(pred: (e: LogEntry) => boolean, timeoutMs = 10_000): Promise<LogEntry | undefined> {
    const found = this.entries.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => {
      const check = (): void => {
        const hit = this.entries.find(pred);
        if (hit) finish(hit);
      };
      const finish = (v: LogEntry | undefined): void => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== check);
        resolve(v);
      };
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      this.listeners.push(check);
    });
  }
}
