// TLS: STLS without plaintext leaking across the upgrade, POP3_TLS_REQUIRED, the SSL port, SNI
// certificate files and certificates replaced while the server runs.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';
import { promisify } from 'node:util';
import { Pop3Client } from '../../support/net.js';
import type { RunningServer } from '../../support/server.js';
import { makeSelfSignedPem } from '../../support/tls.js';
import { StreamReader } from '../../support/wire.js';
import { sleep, startPop3d } from './helpers.js';

const run = promisify(execFile);

function upgrade(c: Pop3Client, servername?: string): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const t = tlsConnect(
      { socket: c.socket, rejectUnauthorized: false, ...(servername ? { servername } : {}) },
      () => resolve(t),
    );
    t.once('error', reject);
  });
}

function tlsTo(port: number, servername?: string): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const t = tlsConnect(
      { port, host: '127.0.0.1', rejectUnauthorized: false, ...(servername ? { servername } : {}) },
      () => resolve(t),
    );
    t.once('error', reject);
  });
}

async function fingerprintOf(pem: string): Promise<string> {
  const { stdout } = await run('openssl', ['x509', '-noout', '-fingerprint', '-sha256', '-in', pem]);
  return stdout.trim().split('=')[1]!;
}

describe('pop3d TLS', () => {
  let server: RunningServer;
  before(async () => {
    server = await startPop3d({ 'pop3d-ssl': ['POP3_TLS_REQUIRED=1'] });
  });
  after(async () => {
    await server?.stop();
  });

  test('POP3_TLS_REQUIRED: no USER/AUTH before STLS', async () => {
    const c = await Pop3Client.connect(server.port);
    await c.greeting();
    assert.equal(await c.command('USER testuser'), '-ERR TLS required to log in.\r\n');
    assert.equal(await c.command('AUTH PLAIN'), '-ERR TLS required to log in.\r\n');
    assert.match(await c.command('CAPA'), /\r\nSTLS\r\n/);
    c.close();
  });

  test('STLS: plaintext pipelined after STLS is discarded, not run inside TLS', async () => {
    const c = await Pop3Client.connect(server.port);
    await c.greeting();
    c.write('STLS\r\nUSER injected\r\nCAPA\r\n');
    assert.equal(await c.readLine(), '+OK Begin SSL/TLS negotiation now.\r\n');
    const t = await upgrade(c);
    const r = new StreamReader(t, 10_000);
    await sleep(300);
    assert.equal(r.peekPending().length, 0, 'nothing answered for the injected commands');
    t.write('CAPA\r\n');
    const capa = (await r.readPop3Reply(true))!.toString('latin1');
    assert.doesNotMatch(capa, /STLS/);
    t.write('STLS\r\n');
    assert.equal((await r.readLine())!.toString(), '-ERR TLS support not available.\r\n');
    t.write('USER testuser\r\n');
    assert.equal((await r.readLine())!.toString(), '+OK Password required.\r\n');
    t.write('PASS testpass\r\n');
    assert.equal((await r.readLine())!.toString(), '+OK logged in.\r\n');
    t.write('QUIT\r\n');
    assert.equal((await r.readLine())!.toString(), '+OK Bye-bye.\r\n');
    t.destroy();
  });

  test('SSL port: TLS from the first byte, login allowed', async () => {
    const t = await tlsTo(server.tlsPort!);
    const r = new StreamReader(t, 10_000);
    assert.equal((await r.readLine())!.toString(), '+OK Hello there.\r\n');
    t.write('USER testuser\r\nPASS testpass\r\nQUIT\r\n');
    assert.equal((await r.readLine())!.toString(), '+OK Password required.\r\n');
    assert.equal((await r.readLine())!.toString(), '+OK logged in.\r\n');
    assert.equal((await r.readLine())!.toString(), '+OK Bye-bye.\r\n');
    t.destroy();
  });

  test('per-IP certificate TLS_CERTFILE.<local ip>, SNI still first', async () => {
    const certFile = join(server.configDir, 'server.pem');
    const perIp = await makeSelfSignedPem(server.configDir, 'per-ip');
    await copyFile(perIp, `${certFile}.127.0.0.1`);
    const a = await tlsTo(server.tlsPort!);
    assert.equal(a.getPeerCertificate().fingerprint256, await fingerprintOf(perIp));
    a.destroy();
    await rm(`${certFile}.127.0.0.1`);
  });

  test('SNI picks TLS_CERTFILE.<name>; a replaced certificate is used without restart', async () => {
    const certFile = join(server.configDir, 'server.pem');
    const original = await fingerprintOf(certFile);
    const sni = await makeSelfSignedPem(server.configDir, 'sni-new');
    await copyFile(sni, `${certFile}.mail.example.test`);
    const a = await tlsTo(server.tlsPort!, 'mail.example.test');
    assert.equal(a.getPeerCertificate().fingerprint256, await fingerprintOf(sni));
    a.destroy();
    const b = await tlsTo(server.tlsPort!, 'other.example.test');
    assert.equal(b.getPeerCertificate().fingerprint256, original);
    b.destroy();
    const renewed = await makeSelfSignedPem(server.configDir, 'renewed');
    await rename(renewed, certFile);
    const c = await tlsTo(server.tlsPort!);
    assert.equal(c.getPeerCertificate().fingerprint256, await fingerprintOf(certFile));
    assert.notEqual(c.getPeerCertificate().fingerprint256, original);
    c.destroy();
  });
});

describe('pop3d TLS_PROTOCOL', () => {
  test('TLSv1.3 only: a TLS 1.2 client is refused, a TLS 1.3 client served', async () => {
    const server = await startPop3d({ 'pop3d-ssl': ['TLS_PROTOCOL=TLSv1.3'] });
    try {
      await assert.rejects(
        new Promise((resolve, reject) => {
          const t = tlsConnect(
            { port: server.tlsPort!, host: '127.0.0.1', rejectUnauthorized: false, maxVersion: 'TLSv1.2' },
            () => resolve(t),
          );
          t.once('error', reject);
        }),
      );
      const ok = await tlsTo(server.tlsPort!);
      assert.equal(ok.getProtocol(), 'TLSv1.3');
      ok.destroy();
    } finally {
      await server.stop();
    }
  });
});
