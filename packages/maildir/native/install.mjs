// Build the optional native helper (LF -> CRLF and POP3 dot-stuffing on the libuv thread pool).
// Never fails the install: without a C compiler it prints a warning, and maildir uses its pure-JS
// code (the same bytes, more CPU per message).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
if (process.env.COURIER_TS_SKIP_NATIVE === '1') {
  console.warn(
    '@courier-ts/maildir: native helper skipped (COURIER_TS_SKIP_NATIVE=1); pure-JS message reads',
  );
  process.exit(0);
}
const args = ['rebuild'];
// Use the local Node headers when present (no download needed).
const nodeDir = join(dirname(process.execPath), '..');
if (existsSync(join(nodeDir, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${nodeDir}`);
// npm sets npm_config_node_gyp for lifecycle scripts; otherwise use the node-gyp bundled with npm.
const bundled = join(nodeDir, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
const gyp = process.env.npm_config_node_gyp || (existsSync(bundled) ? bundled : undefined);
const cmd = gyp ? process.execPath : 'node-gyp';
const cmdArgs = gyp ? [gyp, ...args] : args;
const r = spawnSync(cmd, cmdArgs, { cwd: here, stdio: ['ignore', 'inherit', 'inherit'] });
if (r.status !== 0) {
  console.warn('@courier-ts/maildir: native helper build failed; pure-JS message reads (same bytes, slower)');
}
process.exit(0);
