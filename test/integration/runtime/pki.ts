// A throwaway certificate authority for client-certificate tests: a CA, a client certificate it
// signed (test/support/client-certs.ts), and a self-signed impostor with the same subject.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { makeClientCerts } from '../../support/client-certs.js';

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

export const CLIENT_SUBJECT = '/CN=Test User/emailAddress=testuser@example.com';

export async function makeClientPki(dir: string): Promise<ClientPki> {
  const p = (n: string): string => join(dir, n);
  const { caFile, certs } = await makeClientCerts(dir, { client: CLIENT_SUBJECT });
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
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
    caFile,
    client: { ...certs.client, keyFile: p('client.key'), certFile: p('client.crt') },
    impostor: { key: await readFile(p('rogue.key')), cert: await readFile(p('rogue.crt')) },
  };
}
