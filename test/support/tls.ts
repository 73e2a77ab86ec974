// A throwaway self-signed certificate for tests, in Courier's TLS_CERTFILE form (key + cert in one file).
import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Writes `<dir>/<name>.pem` (private key then certificate, CN=localhost) and returns its path. */
export async function makeSelfSignedPem(dir: string, name = 'server'): Promise<string> {
  const key = join(dir, `${name}.key.tmp`);
  const crt = join(dir, `${name}.crt.tmp`);
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '3650',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout',
    key,
    '-out',
    crt,
  ]);
  const pem = join(dir, `${name}.pem`);
  await writeFile(pem, Buffer.concat([await readFile(key), await readFile(crt)]), { mode: 0o600 });
  await rm(key, { force: true });
  await rm(crt, { force: true });
  return pem;
}
