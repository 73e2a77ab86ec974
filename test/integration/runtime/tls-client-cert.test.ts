// TLS_VERIFYPEER on real sockets: startTls (the handshake of implicit TLS and of STARTTLS/STLS)
// against Node's TLS client, with a CA, a certificate it signed and a self-signed impostor.
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { type ConnectionOptions, type SecureVersion, connect as tlsConnect } from 'node:tls';
import {
  CertificateStore,
  externalLoginId,
  resolveTlsSettings,
  startTls,
  type TlsResult,
  type VerifyPeer,
} from '@courier-ts/runtime';
import { makeSelfSignedPem } from '../../support/tls.js';
import { makeTempDir, type TempDir } from '../../support/tmp.js';
import { type ClientPki, makeClientPki } from './pki.js';

interface Harness {
  readonly port: number;
  readonly results: TlsResult[];
  close(): Promise<void>;
}

/** A TCP server whose connections go through startTls; a verified connection gets `hello`. */
async function serve(store: CertificateStore): Promise<Harness> {
  const results: TlsResult[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((sock) => {
    sockets.add(sock);
    sock.on('error', () => {});
    void startTls(sock, store).then((r) => {
      results.push(r);
      if (r.kind === 'ok') r.socket.end('hello\r\n');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as { port: number }).port,
    results,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

/** What the client saw: the server's first bytes, or the error that ended the connection. */
function client(port: number, o: ConnectionOptions): Promise<{ data?: string; error?: string }> {
  return new Promise((resolve) => {
    const t = tlsConnect({ port, host: '127.0.0.1', rejectUnauthorized: false, ...o });
    let data = '';
    t.setEncoding('latin1');
    t.on('data', (d: string) => {
      data += d;
    });
    t.once('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    t.once('close', () => resolve(data === '' ? { error: 'closed' } : { data }));
  });
}

function storeFor(dir: string, cert: string, verify: VerifyPeer, ca: string | undefined): CertificateStore {
  const keys: Record<string, string> = { TLS_CERTFILE: cert, TLS_VERIFYPEER: verify };
  if (ca) keys.TLS_TRUSTCERTS = ca;
  return new CertificateStore(resolveTlsSettings((k) => keys[k], `${dir}/none.pem`));
}

describe('TLS_VERIFYPEER (startTls)', () => {
  let tmp: TempDir;
  let pki: ClientPki;
  let serverPem: string;
  before(async () => {
    tmp = await makeTempDir('courier-ts-peer-');
    pki = await makeClientPki(tmp.path);
    serverPem = await makeSelfSignedPem(tmp.path);
  });
  after(async () => tmp?.dispose());

  for (const version of ['TLSv1.2', 'TLSv1.3'] as SecureVersion[]) {
    const v = { minVersion: version, maxVersion: version };
    test(`${version} NONE: no certificate asked for, none reported`, async () => {
      const h = await serve(storeFor(tmp.path, serverPem, 'NONE', pki.caFile));
      try {
        assert.deepEqual(await client(h.port, { ...v, key: pki.client.key, cert: pki.client.cert }), {
          data: 'hello\r\n',
        });
        const r = h.results[0];
        assert.ok(r?.kind === 'ok');
        assert.equal(r.peer, undefined);
      } finally {
        await h.close();
      }
    });

    test(`${version} PEER: without a certificate accepted; a trusted one verified and exposed`, async () => {
      const h = await serve(storeFor(tmp.path, serverPem, 'PEER', pki.caFile));
      try {
        assert.deepEqual(await client(h.port, v), { data: 'hello\r\n' });
        assert.ok(h.results[0]?.kind === 'ok');
        assert.equal(h.results[0].peer, undefined);

        assert.deepEqual(await client(h.port, { ...v, key: pki.client.key, cert: pki.client.cert }), {
          data: 'hello\r\n',
        });
        const r = h.results[1];
        assert.ok(r?.kind === 'ok' && r.peer);
        assert.equal(r.peer.subject.CN, 'Test User');
        assert.equal(r.peer.subject.emailAddress, 'testuser@example.com');
        assert.equal(r.peer.issuer.CN, 'courier-ts EXTERNAL test CA');
        assert.equal(externalLoginId(r.peer, 'emailaddress'), 'testuser@example.com');
        assert.equal(externalLoginId(r.peer, 'CN'), 'Test User');
        assert.equal(externalLoginId(r.peer, 'OU'), undefined);
      } finally {
        await h.close();
      }
    });

    test(`${version} PEER: an untrusted certificate ends the connection`, async () => {
      const h = await serve(storeFor(tmp.path, serverPem, 'PEER', pki.caFile));
      try {
        const seen = await client(h.port, { ...v, key: pki.impostor.key, cert: pki.impostor.cert });
        assert.equal(seen.data, undefined, 'no application data for an untrusted client');
        const r = h.results[0];
        assert.ok(r?.kind === 'failed');
        assert.match(
          r.reason,
          /client certificate "CN=Test User, emailAddress=testuser@example\.com" not trusted/,
        );
      } finally {
        await h.close();
      }
    });

    test(`${version} REQUIREPEER: no certificate, no session; a trusted one gets in`, async () => {
      const h = await serve(storeFor(tmp.path, serverPem, 'REQUIREPEER', pki.caFile));
      try {
        const seen = await client(h.port, v);
        assert.equal(seen.data, undefined);
        assert.ok(h.results[0]?.kind === 'failed');
        assert.deepEqual(await client(h.port, { ...v, key: pki.client.key, cert: pki.client.cert }), {
          data: 'hello\r\n',
        });
        const r = h.results[1];
        assert.ok(r?.kind === 'ok');
        assert.equal(r.peer?.subject.emailAddress, 'testuser@example.com');
      } finally {
        await h.close();
      }
    });
  }

  test("PEER without TLS_TRUSTCERTS trusts nothing (not Node's bundled roots)", async () => {
    const store = storeFor(tmp.path, serverPem, 'PEER', undefined);
    const h = await serve(store);
    try {
      await client(h.port, { key: pki.client.key, cert: pki.client.cert });
      assert.equal(h.results[0]?.kind, 'failed');
    } finally {
      await h.close();
    }
  });

  test('reload(next): TLS_VERIFYPEER=REQUIREPEER applies from the next handshake', async () => {
    const store = storeFor(tmp.path, serverPem, 'NONE', pki.caFile);
    const h = await serve(store);
    try {
      assert.deepEqual(await client(h.port, {}), { data: 'hello\r\n' });
      store.reload(
        resolveTlsSettings(
          (k) => ({ TLS_CERTFILE: serverPem, TLS_VERIFYPEER: 'REQUIREPEER', TLS_TRUSTCERTS: pki.caFile })[k],
          serverPem,
        ),
      );
      assert.equal(store.verifyPeer, 'REQUIREPEER');
      assert.equal((await client(h.port, {})).data, undefined);
      assert.equal(h.results[1]?.kind, 'failed');
    } finally {
      await h.close();
    }
  });
});
