import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { courierAddress, createRootLogger, plainAddress } from '@courier-ts/runtime';

function sink(): { write(s: string): void; text(): string } {
  let t = '';
  return {
    write: (s: string) => {
      t += s;
    },
    text: () => t,
  };
}

describe('log', () => {
  test('addresses in Courier form', () => {
    assert.equal(courierAddress('127.0.0.1'), '::ffff:127.0.0.1');
    assert.equal(courierAddress('::ffff:127.0.0.1'), '::ffff:127.0.0.1');
    assert.equal(courierAddress('2001:db8::1'), '2001:db8::1');
    assert.equal(plainAddress('::ffff:10.1.2.3'), '10.1.2.3');
  });
  test('text mode prints Courier lines', () => {
    const out = sink();
    const log = createRootLogger({ format: 'text', destination: out, level: 'debug' });
    log.info('LOGIN, user=u, ip=[::ffff:127.0.0.1], port=[1]');
    log.debug('Connection, ip=[::ffff:127.0.0.1], port=[1]');
    log.warn({ courierLevel: 'ALERT' }, 'Maximum connection limit reached for ::ffff:127.0.0.1');
    assert.equal(
      out.text(),
      'INFO: LOGIN, user=u, ip=[::ffff:127.0.0.1], port=[1]\n' +
        'DEBUG: Connection, ip=[::ffff:127.0.0.1], port=[1]\n' +
        'ALERT: Maximum connection limit reached for ::ffff:127.0.0.1\n',
    );
  });
  test('JSON mode redacts secrets', () => {
    const out = sink();
    const log = createRootLogger({ destination: out });
    log.child({ cid: 'c1' }).info({ password: 'hunter2', credentials: { password: 'x', user: 'u' } }, 'hi');
    const rec = JSON.parse(out.text()) as Record<string, unknown>;
    assert.equal(rec.password, '[redacted]');
    assert.deepEqual(rec.credentials, { password: '[redacted]', user: 'u' });
    assert.equal(rec.cid, 'c1');
    assert.doesNotMatch(out.text(), /hunter2/);
  });
});
