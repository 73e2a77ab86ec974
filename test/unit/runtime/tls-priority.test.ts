import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseTlsPriority, resolveTlsSettings, verifyPeerOf } from '@courier-ts/runtime';

describe('TLS_PRIORITY (GnuTLS priority string -> OpenSSL)', () => {
  const STRONG = 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256';
  const CASES: ReadonlyArray<[string | undefined, object]> = [
    [undefined, { unmapped: [] }],
    ['', { unmapped: [] }],
    ['NORMAL', { unmapped: [] }],
    ['@SYSTEM', { unmapped: [] }],
    ['NORMAL:-VERS-ALL:+VERS-TLS1.2', { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', unmapped: [] }],
    ['NORMAL:-VERS-ALL:+VERS-TLS1.3', { minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3', unmapped: [] }],
    ['NORMAL:-VERS-TLS1.2', { minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3', unmapped: [] }],
    ['NORMAL:+VERS-TLS1.1', { minVersion: 'TLSv1.1', maxVersion: 'TLSv1.3', unmapped: [] }],
    ['normal:!vers-tls1.3', { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', unmapped: [] }],
    ['NORMAL:%SERVER_PRECEDENCE', { honorCipherOrder: true, unmapped: [] }],
    [
      'SECURE256:-VERS-ALL:+VERS-TLS1.3',
      {
        ciphers: 'ECDHE+AES256:DHE+AES256:ECDHE+CHACHA20:!SHA1:!aNULL',
        cipherSuites: STRONG,
        minVersion: 'TLSv1.3',
        maxVersion: 'TLSv1.3',
        unmapped: [],
      },
    ],
    ['NORMAL:-ARCFOUR-128:+SHA256:%COMPAT', { unmapped: ['-ARCFOUR-128', '+SHA256', '%COMPAT'] }],
    ['NONE:+VERS-TLS1.2', { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', unmapped: ['NONE'] }],
    ['NORMAL:-VERS-ALL', { unmapped: ['(no protocol version left enabled: versions unchanged)'] }],
    [
      'NORMAL:-VERS-ALL:+VERS-TLS1.0:+VERS-TLS1.2',
      {
        minVersion: 'TLSv1',
        maxVersion: 'TLSv1.2',
        unmapped: ['(versions TLSv1,TLSv1.2 have a gap: using the whole range)'],
      },
    ],
  ];
  for (const [v, want] of CASES) test(String(v), () => assert.deepEqual(parseTlsPriority(v), want));
});

describe('resolveTlsSettings', () => {
  const resolve = (keys: Record<string, string>) =>
    resolveTlsSettings((k) => keys[k], '/etc/courier/pop3d.pem');

  test("Debian's stock keys: NONE, CA bundle, 512 KiB cache, no warnings", () => {
    assert.deepEqual(
      resolve({
        TLS_CERTFILE: '/etc/courier/pop3d.pem',
        TLS_DHPARAMS: '/etc/courier/dhparams.pem',
        TLS_TRUSTCERTS: '/etc/ssl/certs/ca-certificates.crt',
        TLS_VERIFYPEER: 'NONE',
        TLS_CACHEFILE: '/var/lib/courier/couriersslpop3cache',
        TLS_CACHESIZE: '524288',
      }),
      {
        certFile: '/etc/courier/pop3d.pem',
        dhParamsFile: '/etc/courier/dhparams.pem',
        verifyPeer: 'NONE',
        trustCerts: '/etc/ssl/certs/ca-certificates.crt',
        sessionCacheBytes: 524288,
        warnings: [],
      },
    );
  });

  test('TLS_VERIFYPEER, TLS_EXTERNAL, TLS_CACHESIZE', () => {
    const s = resolve({
      TLS_VERIFYPEER: 'requirepeer',
      TLS_TRUSTCERTS: '/ca.pem',
      TLS_EXTERNAL: 'emailaddress',
      TLS_CACHESIZE: '0',
    });
    assert.equal(s.verifyPeer, 'REQUIREPEER');
    assert.equal(s.externalField, 'emailaddress');
    assert.equal(s.sessionCacheBytes, 0);
    assert.deepEqual(s.warnings, []);
  });

  // Observed on the real Courier 5.0.13 (imapd-ssl, couriertls): with the key removed or empty the
  // server sends a CertificateRequest and closes on an untrusted client certificate; 'peer', 'PX'
  // request one; 'requirepeer', 'REQX', 'RX' refuse a client without one; 'none', 'BOGUS', 'X',
  // ' PEER' request none.
  test('TLS_VERIFYPEER as couriertls reads it: unset = PEER, first letter only', () => {
    const cases: [string | undefined, string][] = [
      [undefined, 'PEER'],
      ['', 'PEER'],
      ['NONE', 'NONE'],
      ['none', 'NONE'],
      ['peer', 'PEER'],
      ['PX', 'PEER'],
      ['REQX', 'REQUIREPEER'],
      ['RX', 'REQUIREPEER'],
      ['BOGUS', 'NONE'],
      ['X', 'NONE'],
      [' PEER', 'NONE'],
    ];
    for (const [v, want] of cases) {
      assert.equal(verifyPeerOf(v), want, String(v));
      const keys: Record<string, string> = v === undefined ? {} : { TLS_VERIFYPEER: v };
      assert.equal(resolve(keys).verifyPeer, want, String(v));
    }
  });

  test('warnings: bad TLS_VERIFYPEER, PEER without TLS_TRUSTCERTS, TLS_MIN_DH_BITS, unmapped TLS_PRIORITY', () => {
    assert.match(
      resolve({ TLS_VERIFYPEER: 'MAYBE' }).warnings?.[0] ?? '',
      /TLS_VERIFYPEER="MAYBE".*read as NONE/,
    );
    assert.deepEqual(resolve({}).warnings, [], 'PEER by default: no warning without TLS_TRUSTCERTS');
    assert.match(resolve({ TLS_VERIFYPEER: 'PEER' }).warnings?.[0] ?? '', /without TLS_TRUSTCERTS/);
    assert.match(resolve({ TLS_MIN_DH_BITS: '1024' }).warnings?.[0] ?? '', /^TLS_MIN_DH_BITS: not supported/);
    assert.deepEqual(resolve({ TLS_PRIORITY: 'NORMAL:+CAMELLIA-128-CBC' }).warnings, [
      'TLS_PRIORITY="NORMAL:+CAMELLIA-128-CBC": not supported (no OpenSSL equivalent), ignored: +CAMELLIA-128-CBC',
    ]);
  });

  test('TLS_PROTOCOL and TLS_CIPHER_LIST win over TLS_PRIORITY', () => {
    const both = resolve({
      TLS_PRIORITY: 'SECURE256:-VERS-ALL:+VERS-TLS1.3',
      TLS_PROTOCOL: 'TLSv1.2++',
      TLS_CIPHER_LIST: 'HIGH:!aNULL',
    });
    assert.equal(both.minVersion, 'TLSv1.2');
    assert.equal(both.maxVersion, undefined);
    assert.equal(both.ciphers, 'HIGH:!aNULL');
    const priorityOnly = resolve({ TLS_PRIORITY: 'NORMAL:-VERS-ALL:+VERS-TLS1.2' });
    assert.equal(priorityOnly.minVersion, 'TLSv1.2');
    assert.equal(priorityOnly.maxVersion, 'TLSv1.2');
  });
});
