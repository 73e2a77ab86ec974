import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseTlsProtocol } from '@courier-ts/runtime';

describe('TLS_PROTOCOL', () => {
  const CASES: ReadonlyArray<[string | undefined, object]> = [
    [undefined, {}],
    ['', {}],
    ['TLSv1.2++', { minVersion: 'TLSv1.2' }],
    ['TLSv1.2', { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' }],
    ['tlsv1.3', { minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' }],
    ['TLSv1.1++', { minVersion: 'TLSv1.1' }],
    ['SSL3', {}],
  ];
  for (const [v, want] of CASES) test(String(v), () => assert.deepEqual(parseTlsProtocol(v), want));
});
