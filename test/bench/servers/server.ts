// What the bench needs from each of the three servers under test.
import type { ServerName } from '../options.js';

export type Protocol = 'imap' | 'pop3';

export interface Endpoint {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly pass: string;
}

export interface BenchServer {
  readonly name: ServerName;
  /** One endpoint per protocol that runs; a protocol that does not is in `unavailable`. */
  readonly endpoints: Partial<Record<Protocol, Endpoint>>;
  /** Why a protocol is not measured ("not built yet", "failed to start: ..."). */
  readonly unavailable: Partial<Record<Protocol, string>>;
  /** The account's maildir (the work copy the server serves). */
  readonly maildir: string;
  /** Roots of the process trees that serve `protocol` (memory is summed over their descendants). */
  pids(protocol: Protocol): Promise<readonly number[]>;
  /** Wait until work a server does on its own after the first logins is over (ours: the next spare worker). */
  settle?(protocol: Protocol): Promise<void>;
  /** settle, and then wait until garbage of earlier measures is given back (before a memory measure). */
  settleMemory?(protocol: Protocol): Promise<void>;
  /** A short description for the report (version, how it runs). */
  readonly description: string;
  /** Stop everything this server started; never throws. */
  stop(): Promise<void>;
}

/** A server that could not be started at all: the reason is reported and the bench goes on. */
export interface FailedServer {
  readonly name: ServerName;
  readonly failed: string;
}

export type StartResult = BenchServer | FailedServer;

export function isFailed(s: StartResult): s is FailedServer {
  return 'failed' in s;
}

/** Last lines of a tool's output, for a one-line failure reason. */
export function lastLines(text: string, n = 3): string {
  return text.trim().split('\n').slice(-n).join(' | ');
}
