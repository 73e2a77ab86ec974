// SASL EXTERNAL as courier-authlib's auth_sasl_ex runs it (checked against Courier 5.0.13 with real
// client certificates), and auth_generic's EXTERNAL -> PRE lookup.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type AuthModule,
  authGeneric,
  createAuthenticatorFromModules,
  type ExternalStep,
  startSasl,
  startSaslExternal,
} from '@courier-ts/authlib';
import { pino } from 'pino';

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const OK: ExternalStep = { kind: 'external', user: 'alice@example.com' };
const CHALLENGE: ExternalStep = { kind: 'challenge', data: '' };

/** [name, the client's lines (initial response first), the steps the server answers]. */
const CASES: [string, (string | undefined)[], ExternalStep[]][] = [
  ['no initial response, empty answer', [undefined, ''], [CHALLENGE, OK]],
  ['`=` is no initial response either', ['=', ''], [CHALLENGE, OK]],
  ['an empty initial response too', ['', ''], [CHALLENGE, OK]],
  ['the matching authorization identity', [b64('alice@example.com')], [OK]],
  ['another authorization identity fails', [b64('bob@example.com')], [{ kind: 'failed' }]],
  ['authzid compared exactly (case)', [b64('Alice@example.com')], [{ kind: 'failed' }]],
  ['authzid up to a NUL, as strcmp sees it', [b64('alice@example.com\0junk')], [OK]],
  ['bad base64 in the initial response aborts', ['***'], [{ kind: 'abort' }]],
  [
    'base64 without its padding aborts (authsasl_frombase64)',
    [b64('alice@example.com').replace(/=+$/, '')],
    [{ kind: 'abort' }],
  ],
  ['two stray bytes after the base64 are ignored, as in C', [`${b64('alice@example.com')}x`], [OK]],
  ['three are not', [`${b64('alice@example.com')}xyz`], [{ kind: 'abort' }]],
  ['`*` answer aborts', [undefined, '*'], [CHALLENGE, { kind: 'abort' }]],
  ['any `*...` answer aborts', [undefined, '*junk'], [CHALLENGE, { kind: 'abort' }]],
  [
    'even the matching identity in the answer aborts',
    [undefined, b64('alice@example.com')],
    [CHALLENGE, { kind: 'abort' }],
  ],
  ['bad base64 in the answer aborts', [undefined, '=='], [CHALLENGE, { kind: 'abort' }]],
  ['`=` as the answer aborts (checked on Courier)', [undefined, '='], [CHALLENGE, { kind: 'abort' }]],
  ['an answer that is one NUL byte is empty to C', [undefined, 'AA=='], [CHALLENGE, OK]],
];

describe('SASL EXTERNAL', () => {
  for (const [name, lines, want] of CASES) {
    test(name, () => {
      const x = startSaslExternal('alice@example.com');
      assert.ok(x);
      assert.equal(x.mechanism, 'EXTERNAL');
      assert.deepEqual(
        lines.map((l) => x.step(l)),
        want,
      );
    });
  }

  test('no identity from TLS: no exchange at all (AUTHSASL_ERROR, as an unknown mechanism)', () => {
    assert.equal(startSaslExternal(undefined), undefined);
    assert.equal(startSaslExternal(''), undefined);
  });
});

describe('authGeneric (auth_generic)', () => {
  const seen: string[] = [];
  const module: AuthModule = {
    name: 'authtest',
    async lookup(service, userid) {
      seen.push(`PRE ${service} ${userid}`);
      return userid === 'alice@example.com'
        ? { kind: 'ok', account: { address: userid, uid: 1000, gid: 1000, home: '/home/alice' } }
        : { kind: 'notfound' };
    },
    async authenticate(req) {
      seen.push(`AUTH ${req.service} ${req.credentials.mechanism} ${req.credentials.user}`);
      return { kind: 'rejected' };
    },
  };
  const auth = createAuthenticatorFromModules([module], {
    defaultOptions: '',
    log: pino({ level: 'silent' }),
  });

  test('EXTERNAL becomes a PRE lookup (no password), anything else an AUTH', async () => {
    seen.length = 0;
    const ok = await authGeneric(auth, {
      service: 'imap',
      credentials: { mechanism: 'external', user: 'alice@example.com' },
    });
    assert.equal(ok.kind, 'ok');
    assert.equal(ok.kind === 'ok' && ok.account.home, '/home/alice');
    const none = await authGeneric(auth, {
      service: 'pop3',
      credentials: { mechanism: 'external', user: 'bob' },
    });
    assert.equal(none.kind, 'rejected');
    const pw = await authGeneric(auth, {
      service: 'imap',
      credentials: { mechanism: 'login', user: 'alice@example.com', password: 'x' },
    });
    assert.equal(pw.kind, 'rejected');
    assert.deepEqual(seen, [
      'PRE imap alice@example.com',
      'PRE pop3 bob',
      'AUTH imap login alice@example.com',
    ]);
  });
});

describe("authsasl_frombase64's padding rule in the other mechanisms", () => {
  test('PLAIN: padded base64 logs in, the same without its padding is refused', () => {
    const text = b64('\0alice\0pwd');
    assert.ok(text.endsWith('=='));
    assert.equal(startSasl('PLAIN', { hostname: 'h' })!.step(text).kind, 'credentials');
    assert.equal(startSasl('PLAIN', { hostname: 'h' })!.step(text.replace(/=+$/, '')).kind, 'error');
  });
});
