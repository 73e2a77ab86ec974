import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  acctLine,
  line,
  loginLine,
  multiline,
  REPLY,
  retrReply,
  statReply,
  unicodeWrapper,
  withCode,
  wrapperBoundary,
} from '@courier-ts/pop3d';

describe('POP3 replies', () => {
  test('Courier texts', () => {
    assert.equal(REPLY.greeting, '+OK Hello there.');
    assert.equal(REPLY.listHead, '+OK POP3 clients that break here, they violate STD53.');
    assert.equal(statReply(23, 5769111), '+OK 23 5769111');
    assert.equal(retrReply(252), '+OK 252 octets follow.');
    assert.equal(line(REPLY.noop), '+OK Yup.\r\n');
  });
  test('multi-line replies end with a dot', () => {
    assert.equal(multiline('+OK', ['1 UID1-5', '2 UID2-5']), '+OK\r\n1 UID1-5\r\n2 UID2-5\r\n.\r\n');
    assert.equal(multiline('+OK', []), '+OK\r\n.\r\n');
  });
  test('response codes', () => {
    assert.equal(withCode(REPLY.loginFailed, 'AUTH'), '-ERR [AUTH] Login failed.');
    assert.equal(withCode(REPLY.loginFailed, undefined), '-ERR Login failed.');
  });
  test('log lines', () => {
    assert.equal(loginLine('u', '::ffff:127.0.0.1', 5), 'LOGIN, user=u, ip=[::ffff:127.0.0.1], port=[5]');
    const f = {
      user: 'u',
      ip: '::ffff:127.0.0.1',
      port: 5,
      top: 1,
      retr: 2,
      rcvd: 3,
      sent: 4,
      seconds: 0,
      tls: false,
    };
    assert.equal(
      acctLine('LOGOUT', f),
      'LOGOUT, user=u, ip=[::ffff:127.0.0.1], port=[5], top=1, retr=2, rcvd=3, sent=4, time=0',
    );
    assert.match(acctLine('DISCONNECTED', { ...f, tls: true }), /^DISCONNECTED, .*, time=0, stls=1$/);
  });
  test("unicode wrapper is Courier's text in CRLF form", () => {
    const b = wrapperBoundary(7842, 1795853088_000);
    assert.equal(b, '=_7842-1795853088');
    const w = unicodeWrapper(b, 'message/global');
    // Courier announced 769 = 66 (message) + 703 (wrapper, LF form) for this boundary.
    const lfLength =
      w.header.toString('latin1').replace(/\r\n/g, '\n').length +
      w.footer.toString('latin1').replace(/\r\n/g, '\n').length;
    assert.equal(lfLength, 703);
    assert.match(w.header.toString('latin1'), /^From: Mail Delivery Subsystem <postmaster>\r\n/);
    assert.equal(w.footer.toString('latin1'), '\r\n--=_7842-1795853088--\r\n');
  });
});
