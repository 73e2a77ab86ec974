import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type SaslStep, saslMechanisms, startSasl } from '@courier-ts/authlib';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const opts = { hostname: 'mail.example.com', random: (n: number) => Buffer.alloc(n, 0xab) };

function run(mech: string, lines: (string | undefined)[]): SaslStep[] {
  const x = startSasl(mech, opts);
  assert.ok(x, mech);
  return lines.map((l) => x.step(l));
}

describe('SASL mechanisms', () => {
  test('advertised list', () => {
    assert.deepEqual(saslMechanisms({}), ['PLAIN', 'LOGIN']);
    assert.deepEqual(saslMechanisms({ clearOrHmac: true }), [
      'PLAIN',
      'LOGIN',
      'CRAM-MD5',
      'CRAM-SHA1',
      'CRAM-SHA256',
    ]);
  });
  const cases: [string, string, (string | undefined)[], SaslStep[]][] = [
    [
      'PLAIN without initial response',
      'PLAIN',
      [undefined, b64('authz\0alice\0pw')],
      [
        { kind: 'challenge', data: '' },
        { kind: 'credentials', credentials: { mechanism: 'login', user: 'alice', password: 'pw' } },
      ],
    ],
    [
      'PLAIN initial response, authzid ignored',
      'plain',
      [b64('\0bob\0p w')],
      [{ kind: 'credentials', credentials: { mechanism: 'login', user: 'bob', password: 'p w' } }],
    ],
    ['PLAIN garbage', 'PLAIN', [undefined, '!!!'], [{ kind: 'challenge', data: '' }, { kind: 'error' }]],
    ['PLAIN two fields', 'PLAIN', [b64('alice\0pw')], [{ kind: 'error' }]],
    ['PLAIN abort', 'PLAIN', [undefined, '*'], [{ kind: 'challenge', data: '' }, { kind: 'abort' }]],
    [
      'LOGIN',
      'LOGIN',
      [undefined, b64('alice'), b64('secret')],
      [
        { kind: 'challenge', data: 'VXNlcm5hbWU6' },
        { kind: 'challenge', data: 'UGFzc3dvcmQ6' },
        { kind: 'credentials', credentials: { mechanism: 'login', user: 'alice', password: 'secret' } },
      ],
    ],
    [
      'LOGIN with initial response',
      'LOGIN',
      [b64('alice'), b64('secret')],
      [
        { kind: 'challenge', data: 'UGFzc3dvcmQ6' },
        { kind: 'credentials', credentials: { mechanism: 'login', user: 'alice', password: 'secret' } },
      ],
    ],
    [
      'LOGIN abort at password',
      'LOGIN',
      [undefined, b64('alice'), '*'],
      [
        { kind: 'challenge', data: 'VXNlcm5hbWU6' },
        { kind: 'challenge', data: 'UGFzc3dvcmQ6' },
        { kind: 'abort' },
      ],
    ],
  ];
  for (const [name, mech, lines, want] of cases) test(name, () => assert.deepEqual(run(mech, lines), want));

  for (const [mech, kind] of [
    ['CRAM-MD5', 'cram-md5'],
    ['CRAM-SHA1', 'cram-sha1'],
    ['CRAM-SHA256', 'cram-sha256'],
  ] as const) {
    test(`${mech}: <32HEX@hostname> challenge, "user digest" response`, () => {
      const challenge = `<${'AB'.repeat(16)}@mail.example.com>`;
      const steps = run(mech, [undefined, b64('alice@example.com 0123ABCDEF')]);
      assert.deepEqual(steps, [
        { kind: 'challenge', data: b64(challenge) },
        {
          kind: 'credentials',
          credentials: { mechanism: kind, user: 'alice@example.com', challenge, response: '0123abcdef' },
        },
      ]);
    });
  }
  test('CRAM: random challenge format', () => {
    const x = startSasl('CRAM-MD5', { hostname: 'h.example' })!;
    const s = x.step(undefined);
    assert.equal(s.kind, 'challenge');
    if (s.kind === 'challenge')
      assert.match(Buffer.from(s.data, 'base64').toString(), /^<[0-9A-F]{32}@h\.example>$/);
  });
  test('CRAM: response without a space or non-hex digest is an error', () => {
    assert.deepEqual(run('CRAM-MD5', [undefined, b64('alice')])[1], { kind: 'error' });
    assert.deepEqual(run('CRAM-MD5', [undefined, b64('alice xyz')])[1], { kind: 'error' });
  });
  test('unknown mechanism', () => {
    assert.equal(startSasl('EXTERNAL', opts), undefined);
    assert.equal(startSasl('DIGEST-MD5', opts), undefined);
  });
});
