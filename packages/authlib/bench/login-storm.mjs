#!/usr/bin/env node
// Benchmark (not a test): does a storm of 200 failing logins delay another session's I/O?
// While N failing logins run (PAM through the addon, and the crypt schemes through the worker pool /
// libuv), a "FETCH" loop reads a 256 KiB file with fs.promises and we record each read's latency and
// the event-loop delay. Compare with the same loop when idle.
// Usage: node packages/authlib/bench/login-storm.mjs [N=200]   (build first; PAM part needs root)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createAuthenticator, createPasswordService } from '@courier-ts/authlib';
import { pino } from 'pino';

const N = Number(process.argv[2] ?? 200);
const log = pino({ level: 'silent' });
const dir = mkdtempSync(join(tmpdir(), 'login-storm-'));
const blob = join(dir, 'message');
writeFileSync(blob, Buffer.alloc(256 * 1024, 0x61));

function pct(a, p) {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}

async function fetchLoop(stop) {
  const lat = [];
  while (!stop.done) {
    const t = performance.now();
    await readFile(blob);
    lat.push(performance.now() - t);
  }
  return lat;
}

async function measure(label, storm) {
  const h = monitorEventLoopDelay({ resolution: 1 });
  const stop = { done: false };
  h.enable();
  const loop = fetchLoop(stop);
  const t0 = performance.now();
  await storm();
  const wall = performance.now() - t0;
  stop.done = true;
  const lat = await loop;
  h.disable();
  console.log(
    `${label.padEnd(34)} wall ${wall.toFixed(0).padStart(6)} ms | read p50 ${pct(lat, 50).toFixed(2)} p99 ${pct(lat, 99).toFixed(2)} max ${Math.max(...lat).toFixed(2)} ms (${lat.length} reads) | loop delay p99 ${(h.percentile(99) / 1e6).toFixed(2)} max ${(h.max / 1e6).toFixed(2)} ms`,
  );
}

const svc = createPasswordService({ log });
const hashes = {
  'sha512-crypt (5000 rounds)': await svc.hash('sha512-crypt', 'right'),
  'bcrypt cost 10': await svc.hash('bcrypt', 'right'),
  'md5-crypt': await svc.hash('md5-crypt', 'right'),
};
if (svc.native) hashes.yescrypt = await svc.hash('yescrypt', 'right');

await measure('idle (baseline)', () => new Promise((r) => setTimeout(r, 1000)));
for (const [name, h] of Object.entries(hashes)) {
  await measure(`${N} failing ${name}`, () =>
    Promise.all(Array.from({ length: N }, () => svc.verify('wrong', h))),
  );
}

const user = `ctsstorm${process.pid % 10000}`;
if (process.getuid?.() === 0 && svc.native) {
  spawnSync('userdel', [user]);
  execFileSync('useradd', ['-M', '-d', '/nonexistent', '-s', '/usr/sbin/nologin', user]);
  execFileSync('chpasswd', [], { input: `${user}:right\n` });
  writeFileSync(join(dir, 'storm'), 'auth required pam_unix.so\naccount required pam_unix.so\n');
  const auth = await createAuthenticator({
    configDir: dir,
    env: {},
    log,
    modules: ['authpam'],
    pamConfDir: dir,
  });
  try {
    await measure(`${N} failing PAM (pam_unix, yescrypt)`, () =>
      Promise.all(
        Array.from({ length: N }, () =>
          auth.authenticate({
            service: 'storm',
            credentials: { mechanism: 'login', user, password: 'wrong' },
          }),
        ),
      ),
    );
  } finally {
    await auth.close();
    spawnSync('userdel', [user]);
  }
} else {
  console.log('PAM storm skipped (needs root and the native addon)');
}
await svc.close();
rmSync(dir, { recursive: true, force: true });
