// A throwaway certificate authority for client-certificate tests: a CA, a client certificate it
// signed, and a self-signed impostor with the same subject (all made by openssl).
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ClientPki {
  /** CA certificate file (TLS_TRUSTCERTS). */
  readonly caFile: string;
  readonly client: {
    readonly key: Buffer;
    readonly cert: Buffer;
    readonly keyFile: string;
    readonly certFile: string;
  };
  /** Same subject as `client`, not signed by the CA. */
  readonly impostor: { readonly key: Buffer; readonly cert: Buffer };
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
export const CLIENT_SUBJECT = '/CN=Test User/emailAddress=testuser@example.com';

export async function makeClientPki(dir: string): Promise<ClientPki> {
  const p = (n: string): string => join(dir, n);
  await run('openssl', [
    'req',
    '-x509',
    ...EC,
    '-days',
    '30',
    '-subj',
    '/CN=courier-ts test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-keyout',
    p('ca.key'),
    '-out',
    p('ca.crt'),
  ]);
  await run('openssl', [
    'req',
    ...EC,
    '-subj',
    CLIENT_SUBJECT,
    '-keyout',
    p('client.key'),
    '-out',
    p('client.csr'),
  ]);
  await writeFile(p('client.ext'), 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n');
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    p('client.csr'),
    '-CA',
    p('ca.crt'),
    '-CAkey',
    p('ca.key'),
    '-CAcreateserial',
    '-days',
    '30',
    '-extfile',
    p('client.ext'),
    '-out',
    p('client.crt'),
  ]);
  await run('openssl', [
    'req',
    '-x509',
    ...EC,
    '-days',
    '30',
    '-subj',
    CLIENT_SUBJECT,
    '-keyout',
    p('rogue.key'),
    '-out',
    p('rogue.crt'),
  ]);
  return {
    caFile: p('ca.crt'),
    client: {
      key: await readFile(p('client.key')),
      cert: await readFile(p('client.crt')),
      keyFile: p('client.key'),
      certFile: p('client.crt'),
    },
    impostor: { key: await readFile(p('rogue.key')), cert: await readFile(p('rogue.crt')) },
  };
}
