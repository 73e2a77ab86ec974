// TLS session resumption across connections of one server process (bin/pop3d run, implicit TLS):
// openssl s_client saves the session of a first connection (-sess_out) and offers it on a second
// one (-sess_in); the second handshake must say "Reused". TLS 1.3 and 1.2 resume by ticket, TLS 1.2
// without tickets by session ID through the TLS_CACHESIZE-bounded in-memory cache.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RunningServer } from '../../support/server.js';
import { makeTempDir, type TempDir } from '../../support/tmp.js';
import { startPop3d } from '../pop3d/helpers.js';

/** One s_client connection: waits for the POP3 greeting, then ends; returns what s_client printed. */
function sClient(port: number, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.stdout.setEncoding('latin1');
    child.stderr.setEncoding('latin1');
    child.stdout.on('data', (d: string) => {
      out += d;
      if (/^\+OK/m.test(out)) child.stdin.end();
    });
    child.stderr.on('data', (d: string) => {
      out += d;
    });
    child.once('error', reject);
    child.once('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

function handshakeLine(out: string): string {
  return /^(New|Reused), .*$/m.exec(out)?.[0] ?? `(no handshake line)\n${out}`;
}

async function resumeTwice(port: number, file: string, args: readonly string[]): Promise<[string, string]> {
  const first = await sClient(port, [...args, '-sess_out', file]);
  const second = await sClient(port, [...args, '-sess_in', file]);
  return [handshakeLine(first), handshakeLine(second)];
}

describe('TLS session resumption (bin/pop3d, openssl s_client)', () => {
  let tmp: TempDir;
  before(async () => {
    tmp = await makeTempDir('courier-ts-resume-');
  });
  after(async () => tmp?.dispose());

  describe('default TLS_CACHESIZE', () => {
    let server: RunningServer;
    before(async () => {
      server = await startPop3d();
    });
    after(async () => server?.stop());

    const CASES: ReadonlyArray<[string, readonly string[]]> = [
      ['TLS 1.3, ticket', ['-tls1_3']],
      ['TLS 1.2, ticket', ['-tls1_2']],
      ['TLS 1.2, session ID (no tickets)', ['-tls1_2', '-no_ticket']],
    ];
    for (const [name, args] of CASES) {
      test(name, async () => {
        const [first, second] = await resumeTwice(server.tlsPort!, join(tmp.path, `${name}.sess`), args);
        assert.match(first, /^New, /);
        assert.match(second, /^Reused, /);
      });
    }

    test('SIGHUP keeps sessions resumable (ticket keys and cache survive a certificate reload)', async () => {
      const file = join(tmp.path, 'hup.sess');
      const first = handshakeLine(await sClient(server.tlsPort!, ['-tls1_3', '-sess_out', file]));
      assert.match(first, /^New, /);
      const seen = server.logs.entries.length;
      process.kill(server.pid, 'SIGHUP');
      await server.logs.waitFor(
        (e) => server.logs.entries.indexOf(e) >= seen && /^SIGHUP: reloading/.test(e.msg),
      );
      await new Promise((r) => setTimeout(r, 300));
      assert.match(handshakeLine(await sClient(server.tlsPort!, ['-tls1_3', '-sess_in', file])), /^Reused, /);
    });
  });

  test('TLS_CACHESIZE=0: no session-ID cache, so a TLS 1.2 client without tickets is not resumed', async () => {
    const server = await startPop3d({ 'pop3d-ssl': ['TLS_CACHESIZE=0'] });
    try {
      const [first, second] = await resumeTwice(server.tlsPort!, join(tmp.path, 'nocache.sess'), [
        '-tls1_2',
        '-no_ticket',
      ]);
      assert.match(first, /^New, /);
      assert.match(second, /^New, /);
    } finally {
      await server.stop();
    }
  });
});
