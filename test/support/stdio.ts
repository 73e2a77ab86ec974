// A protocol session with a child process on its stdin/stdout (pre-authenticated imapd / pop3d,
// ours or Courier's). stdout is the protocol stream; stderr is captured as log.
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { LogCapture } from './logs.js';
import { StreamReader } from './wire.js';

export interface StdioSpawn {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Run the child as this uid/gid (root only). */
  readonly uid?: number;
  readonly gid?: number;
  readonly timeoutMs?: number;
}

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export class StdioSession {
  readonly reader: StreamReader;
  readonly logs = new LogCapture();
  readonly exited: Promise<ExitInfo>;
  private exitInfo: ExitInfo | undefined;

  constructor(
    readonly child: ChildProcessByStdio<Writable, Readable, Readable>,
    timeoutMs: number,
  ) {
    this.reader = new StreamReader(child.stdout, timeoutMs);
    this.logs.attach(child.stderr, 'stderr');
    child.stdin.on('error', () => {
      // the server may exit before reading everything (BYE, fatal error): not our failure
    });
    this.exited = new Promise((resolve) => {
      child.once('close', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
      child.once('error', () => {
        this.exitInfo = { code: 127, signal: null };
        resolve(this.exitInfo);
      });
    });
  }

  get hasExited(): boolean {
    return this.exitInfo !== undefined;
  }

  write(data: string | Buffer): void {
    if (!this.child.stdin.destroyed) this.child.stdin.write(data);
  }

  /** Close stdin (end of input) and wait for the process; kill it after `graceMs`. */
  async finish(graceMs = 10_000): Promise<ExitInfo> {
    this.child.stdin.end();
    const t = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    const info = await this.exited;
    clearTimeout(t);
    return info;
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}

export function spawnStdio(s: StdioSpawn): StdioSession {
  const child = spawn(s.command, [...s.args], {
    env: s.env,
    cwd: s.cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
    ...(s.uid !== undefined ? { uid: s.uid } : {}),
    ...(s.gid !== undefined ? { gid: s.gid } : {}),
  });
  return new StdioSession(child, s.timeoutMs ?? 15_000);
}

/**
 * Wait until the child either writes its first protocol byte (resolves 'running') or exits first
 * (resolves 'exited').
 */
export async function firstOutputOrExit(
  session: StdioSession,
  timeoutMs = 20_000,
): Promise<'running' | 'exited'> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (session.reader.peekPending().length > 0) return 'running';
    if (session.hasExited) return session.reader.peekPending().length > 0 ? 'running' : 'exited';
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no output and no exit within ${timeoutMs} ms:\n${session.logs.text()}`);
}
