// Build the optional native addon (libxcrypt crypt_rn + PAM). Never fails the install: without a
// compiler, libcrypt-dev or libpam0g-dev it prints a warning, and authlib falls back to pure JS
// (yescrypt and PAM then report as unsupported).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
if (process.env.COURIER_TS_SKIP_NATIVE === '1') {
  console.warn(
    '@courier-ts/authlib: native addon skipped (COURIER_TS_SKIP_NATIVE=1); yescrypt and PAM unavailable',
  );
  process.exit(0);
}
const missing = ['/usr/include/crypt.h', '/usr/include/security/pam_appl.h'].filter((f) => !existsSync(f));
if (missing.length > 0) {
  console.warn(
    `@courier-ts/authlib: native addon not built (missing ${missing.join(', ')}; install libcrypt-dev libpam0g-dev); yescrypt and PAM unavailable`,
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
  console.warn(
    '@courier-ts/authlib: native addon build failed; yescrypt and PAM unavailable (pure-JS fallback)',
  );
}
process.exit(0);
