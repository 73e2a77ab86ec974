// externalLoginId: the TLS_EXTERNAL field of a client certificate's subject, found as Courier's
// externalauth() finds TLS_SUBJECT_<FIELD> (couriertls names, any case, the last of repeated fields).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { externalLoginId, type PeerIdentity } from '@courier-ts/runtime';

function peer(subject: Record<string, string[]>): PeerIdentity {
  const first = Object.fromEntries(Object.entries(subject).map(([k, v]) => [k, v[0]!]));
  return {
    subject: first,
    subjectValues: subject,
    issuer: { CN: 'CA' },
    subjectText: Object.entries(first)
      .map(([k, v]) => `${k}=${v}`)
      .join(', '),
    serialNumber: '01',
    fingerprint256: 'AA',
    validTo: 'Jan 1 00:00:00 2030 GMT',
  };
}

const P = peer({
  CN: ['first', 'second'],
  emailAddress: ['alice@example.com'],
  GN: ['Alice'],
  UID: ['alice'],
  OU: [''],
});

const CASES: [string, string, string | undefined][] = [
  ['emailaddress', 'Debian example: TLS_EXTERNAL=emailaddress', 'alice@example.com'],
  ['EMAILADDRESS', 'upper case', 'alice@example.com'],
  ['cn', 'a repeated field: the last value (the last setenv wins)', 'second'],
  [' cn ', 'surrounding blanks', 'second'],
  ['givenName', "couriertls's name for OpenSSL's GN", 'Alice'],
  ['uid', 'uid', 'alice'],
  ['ou', 'an empty value counts as none', undefined],
  ['o', 'a field the certificate lacks', undefined],
  ['commonName', 'long names are not couriertls names', undefined],
  ['', 'TLS_EXTERNAL empty', undefined],
];

test('externalLoginId', () => {
  for (const [field, name, want] of CASES) assert.equal(externalLoginId(P, field), want, name);
});
