// CAPA's SASL line with EXTERNAL, as pop3dcapa.c prints it (Courier 5.0.13, checked on real sessions).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { capaLines, resolvePop3dSettings } from '@courier-ts/pop3d';
import { envSource } from '@courier-ts/runtime';

const settings = (env: Record<string, string>) => resolvePop3dSettings(envSource(env), env);

test('SASL EXTERNAL follows the list once TLS gave a login id', () => {
  const both = settings({ POP3AUTH: 'LOGIN CRAM-MD5', POP3AUTH_TLS: 'LOGIN PLAIN' });
  const none = settings({});
  const sasl = (lines: string[]) => lines.filter((l) => l.startsWith('SASL'));
  assert.deepEqual(sasl(capaLines(both, true, false, true)), ['SASL LOGIN PLAIN EXTERNAL']);
  assert.deepEqual(sasl(capaLines(none, true, false, true)), ['SASL EXTERNAL']);
  assert.deepEqual(sasl(capaLines(none, true, false, false)), []);
  assert.deepEqual(sasl(capaLines(both, false, true, true)), ['SASL LOGIN CRAM-MD5'], 'never outside TLS');
});
