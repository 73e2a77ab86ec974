import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { courierAddress, createRootLogger, plainAddress } from '@courier-ts/runtime';

const repoRoot = fileURLToPath(new URL('../../../..', import.meta.url));

function sink(): { write(s: string): void; text(): string } {
  let t = '';
  return {
    write: (s: string) => {
      t += s;
    },
    text: () => t,
  };
}

describe('log', () => {
  test('addresses in Courier form', () => {
    assert.equal(courierAddress('127.0.0.1'), '::ffff:127.0.0.1');
    assert.equal(courierAddress('::ffff:127.0.0.1'), '::ffff:127.0.0.1');
    assert.equal(courierAddress('2001:db8::1'), '2001:db8::1');
    assert.equal(plainAddress('::ffff:10.1.2.3'), '10.1.2.3');
  });
  test('text mode prints Courier lines', () => {
    const out = sink();
    const log = createRootLogger({ format: 'text', destination: out, level: 'debug' });
    log.info('LOGIN, user=u, ip=[::ffff:127.0.0.1], port=[1]');
    log.debug('Connection, ip=[::ffff:127.0.0.1], port=[1]');
    log.warn({ courierLevel: 'ALERT' }, 'Maximum connection limit reached for ::ffff:127.0.0.1');
    assert.equal(
      out.text(),
      'INFO: LOGIN, user=u, ip=[::ffff:127.0.0.1], port=[1]\n' +
        'DEBUG: Connection, ip=[::ffff:127.0.0.1], port=[1]\n' +
        'ALERT: Maximum connection limit reached for ::ffff:127.0.0.1\n',
    );
  });
  test('JSON mode redacts secrets', () => {
    const out = sink();
    const log = createRootLogger({ destination: out });
    log.child({ cid: 'c1' }).info({ password: 'hunter2', credentials: { password: 'x', user: 'u' } }, 'hi');
    const rec = JSON.parse(out.text()) as Record<string, unknown>;
    assert.equal(rec.password, '[redacted]');
    assert.deepEqual(rec.credentials, { password: '[redacted]', user: 'u' });
    assert.equal(rec.cid, 'c1');
    assert.doesNotMatch(out.text(), /hunter2/);
  });
});

/** Runs `body` (an ES module using `stderrSink` from @courier-ts/runtime) in a child; its stdout, stderr and exit code. */
function runSink(
  body: string,
  stderr: 'pipe' | number = 'pipe',
): Promise<{ code: number | null; out: string; err: string }> {
  const src = `import { stderrSink } from '@courier-ts/runtime';\n${body}`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', src], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', stderr],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (b: Buffer) => {
    out += b.toString();
  });
  child.stderr?.on('data', (b: Buffer) => {
    err += b.toString();
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
}

describe('stderrSink (a session worker log)', () => {
  test('writes each line to standard error at once, in order', async () => {
    const r = await runSink(
      "const s = stderrSink(); for (let i = 0; i < 500; i++) s.write('line ' + i + '\\n'); process.stdout.write('done');",
    );
    assert.equal(r.code, 0);
    assert.equal(r.out, 'done');
    assert.deepEqual(
      r.err.trimEnd().split('\n'),
      Array.from({ length: 500 }, (_, i) => `line ${i}`),
    );
  });

  test('a log that cannot be written (ENOSPC: standard error on /dev/full) does not end the process', async () => {
    const full = openSync('/dev/full', 'w');
    try {
      const r = await runSink(
        "const s = stderrSink(); for (let i = 0; i < 50; i++) s.write('line ' + i + '\\n'); process.stdout.write('alive');",
        full,
      );
      assert.equal(r.out, 'alive');
      assert.equal(r.code, 0);
    } finally {
      closeSync(full);
    }
  });
});
