import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { capaLines, resolvePop3dSettings } from '@courier-ts/pop3d';
import { envSource } from '@courier-ts/runtime';

function settings(env: Record<string, string>) {
  return resolvePop3dSettings(envSource(env), env);
}

describe('pop3d settings', () => {
  test('Debian defaults', () => {
    const s = settings({});
    assert.deepEqual(
      s.runtime.plain.map((b) => [b.host, b.port]),
      [[undefined, 110]],
    );
    assert.deepEqual(
      s.runtime.tls.map((b) => [b.host, b.port]),
      [[undefined, 995]],
    );
    assert.equal(s.runtime.maxDaemons, 40);
    assert.equal(s.runtime.maxPerIp, 4);
    assert.equal(s.failDelayMs, 5000);
    assert.equal(s.preLoginTimeoutMs, 60_000);
    assert.equal(s.idleTimeoutMs, 300_000);
    assert.equal(s.unicodeMessageType, 'message/global');
    assert.equal(s.maildirPath, 'Maildir');
  });
  test('*START switches and AUTHSERVICE<port>', () => {
    const s = settings({
      POP3DSTART: 'NO',
      POP3DSSLSTART: 'YES',
      SSLPORT: '127.0.0.1.1995',
      AUTHSERVICE110: 'pop3x',
    });
    assert.deepEqual(s.runtime.plain, []);
    assert.deepEqual(
      s.runtime.tls.map((b) => [b.host, b.port, b.tls]),
      [['127.0.0.1', 1995, true]],
    );
    assert.equal(s.authServices.get(110), 'pop3x');
  });
  test('CAPA as pop3dcapa.c builds it', () => {
    const s = settings({ POP3AUTH: 'LOGIN CRAM-MD5', POP3AUTH_TLS: 'LOGIN PLAIN' });
    const tail = [
      'TOP',
      'USER',
      'LOGIN-DELAY 10',
      'PIPELINING',
      'UIDL',
      'UTF8 USER',
      'IMPLEMENTATION Courier Mail Server',
    ];
    assert.deepEqual(capaLines(s, false, true), ['SASL LOGIN CRAM-MD5', 'STLS', ...tail]);
    assert.deepEqual(capaLines(s, true, false), ['SASL LOGIN PLAIN', ...tail]);
    const t = settings({ POP3AUTH: 'PLAIN', POP3AUTH_TLS: '' });
    assert.deepEqual(capaLines(t, true, false), ['SASL PLAIN', ...tail], 'empty POP3AUTH_TLS falls back');
    assert.deepEqual(capaLines(settings({}), false, false), tail);
  });
});
