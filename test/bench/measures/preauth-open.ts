// Open INBOX in a pre-authenticated IMAP process on stdin/stdout (Courier's imapd binary, Dovecot's imap
// binary), timing SELECT from the command to its tagged reply, with the process's max RSS measured by
// GNU time (-f %M, last line of stderr).
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export interface OpenSample {
  readonly ms: number;
  readonly rssKb: number;
  readonly messages: number;
}

export interface PreauthCommand {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly uid?: number;
  readonly gid?: number;
  readonly cwd?: string;
}

/** select=false: greeting then LOGOUT only (the process's baseline memory). */
export function preauthOpen(cmd: PreauthCommand, select: boolean, timeoutMs = 600_000): Promise<OpenSample> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd.command, [...cmd.args], {
      env: cmd.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(cmd.uid !== undefined ? { uid: cmd.uid } : {}),
      ...(cmd.gid !== undefined ? { gid: cmd.gid } : {}),
      ...(cmd.cwd ? { cwd: cmd.cwd } : {}),
    });
    let out = '';
    let err = '';
    let phase: 'greeting' | 'select' | 'logout' = 'greeting';
    let t0 = 0;
    let ms = 0;
    let messages = 0;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd.command}: no result within ${timeoutMs} ms`));
    }, timeoutMs);
    const logout = (): void => {
      phase = 'logout';
      child.stdin.end('z LOGOUT\r\n');
    };
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString('latin1');
      if (out.length > 1 << 20) out = out.slice(-4096);
      if (phase === 'greeting' && out.includes('\n')) {
        if (!/^\* PREAUTH/.test(out)) {
          child.kill('SIGKILL');
          return;
        }
        out = '';
        if (!select) return logout();
        phase = 'select';
        t0 = performance.now();
        child.stdin.write('a SELECT INBOX\r\n');
        return;
      }
      if (phase === 'select' && /^a (OK|NO|BAD)/m.test(out)) {
        ms = performance.now() - t0;
        if (!/^a OK/m.test(out)) {
          child.kill('SIGKILL');
          return;
        }
        messages = Number(/^\* (\d+) EXISTS/m.exec(out)?.[1] ?? -1);
        logout();
      }
    });
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString('utf8');
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', () => {
      clearTimeout(timer);
      const rssKb = Number(err.trim().split('\n').pop());
      if (phase !== 'logout' || !Number.isFinite(rssKb)) {
        reject(
          new Error(
            `${cmd.command} failed: ${(out + err).trim().split('\n').slice(-2).join(' | ').slice(0, 200)}`,
          ),
        );
        return;
      }
      resolve({ ms, rssKb, messages });
    });
  });
}
