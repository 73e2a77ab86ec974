// TLS client certificates for SASL EXTERNAL tests: a throwaway CA (TLS_TRUSTCERTS) and client
// certificates it signed, one per subject asked for, all made by openssl.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';
import { promisify } from 'node:util';

const run = promisify(execFile);
const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export interface ClientCert {
  readonly key: Buffer;
  readonly cert: Buffer;
}

export interface ClientCertSet<N extends string> {
  /** The CA certificate file, for TLS_TRUSTCERTS. */
  readonly caFile: string;
  readonly certs: Readonly<Record<N, ClientCert>>;
}

/** A CA in `dir`, and for each name a client certificate with that subject (`/CN=x/emailAddress=y`). */
export async function makeClientCerts<N extends string>(
  dir: string,
  subjects: Readonly<Record<N, string>>,
): Promise<ClientCertSet<N>> {
  const p = (n: string): string => join(dir, n);
  await run('openssl', [
    'req',
    '-x509',
    ...EC,
    '-days',
    '30',
    '-subj',
    '/CN=courier-ts EXTERNAL test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-keyout',
    p('ca.key'),
    '-out',
    p('ca.crt'),
  ]);
  await writeFile(p('client.ext'), 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n');
  const certs = {} as Record<N, ClientCert>;
  let serial = 1;
  for (const [name, subject] of Object.entries(subjects) as [N, string][]) {
    await run('openssl', [
      'req',
      ...EC,
      '-subj',
      subject,
      '-keyout',
      p(`${name}.key`),
      '-out',
      p(`${name}.csr`),
    ]);
    await run('openssl', [
      'x509',
      '-req',
      '-in',
      p(`${name}.csr`),
      '-CA',
      p('ca.crt'),
      '-CAkey',
      p('ca.key'),
      '-set_serial',
      String(serial++),
      '-days',
      '30',
      '-extfile',
      p('client.ext'),
      '-out',
      p(`${name}.crt`),
    ]);
    certs[name] = { key: await readFile(p(`${name}.key`)), cert: await readFile(p(`${name}.crt`)) };
  }
  return { caFile: p('ca.crt'), certs };
}

/** A TLS client connection to 127.0.0.1 (a port, or STARTTLS over a socket), presenting `cert` if given. */
export function tlsHandshake(
  o: { port: number } | { socket: Socket },
  cert?: ClientCert,
): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const t = tlsConnect(
      {
        host: '127.0.0.1',
        rejectUnauthorized: false,
        ...o,
        ...(cert ? { key: cert.key, cert: cert.cert } : {}),
      },
      () => resolve(t),
    );
    t.once('error', reject);
  });
}
