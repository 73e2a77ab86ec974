import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConnectionLimiter } from '@courier-ts/runtime';

describe('ConnectionLimiter', () => {
  test('MAXPERIP: the extra connection from one address is refused, others admitted', () => {
    const l = new ConnectionLimiter(10, 2);
    assert.equal(l.admit('127.0.0.1').kind, 'admit');
    assert.equal(l.admit('::ffff:127.0.0.1').kind, 'admit');
    assert.equal(l.admit('127.0.0.1').kind, 'per-ip');
    assert.equal(l.admit('10.0.0.1').kind, 'admit');
    l.release('127.0.0.1');
    assert.equal(l.admit('127.0.0.1').kind, 'admit');
  });
  test('MAXDAEMONS: over the limit waits (checked before MAXPERIP, as couriertcpd)', () => {
    const l = new ConnectionLimiter(1, 1);
    assert.equal(l.admit('10.0.0.1').kind, 'admit');
    assert.equal(l.admit('10.0.0.1').kind, 'wait');
    assert.equal(l.admit('10.0.0.2').kind, 'wait');
    l.release('10.0.0.1');
    assert.equal(l.hasSlot(), true);
    assert.equal(l.admit('10.0.0.2').kind, 'admit');
  });
  test('0 means no limit', () => {
    const l = new ConnectionLimiter(0, 0);
    for (let i = 0; i < 100; i++) assert.equal(l.admit('10.0.0.1').kind, 'admit');
  });
});

describe('ConnectionLimiter.setLimits (SIGHUP)', () => {
  test('lowered: admitted connections stay counted, new ones wait or are refused', () => {
    const l = new ConnectionLimiter(10, 10);
    for (let i = 0; i < 3; i++) assert.equal(l.admit('10.0.0.1').kind, 'admit');
    l.setLimits(10, 2);
    assert.equal(l.maxPerIp, 2);
    assert.equal(l.admit('10.0.0.1').kind, 'per-ip', 'three already there, two allowed now');
    assert.equal(l.admit('10.0.0.2').kind, 'admit');
    l.setLimits(3, 2);
    assert.equal(l.activeCount, 4, 'nobody was dropped');
    assert.equal(l.hasSlot(), false);
    assert.equal(l.admit('10.0.0.3').kind, 'wait');
    l.release('10.0.0.1');
    l.release('10.0.0.1');
    assert.equal(l.hasSlot(), true);
    assert.equal(l.admit('10.0.0.1').kind, 'admit', 'one left from 10.0.0.1, two allowed');
  });
  test('raised, and back to no limit with 0', () => {
    const l = new ConnectionLimiter(1, 1);
    assert.equal(l.admit('10.0.0.1').kind, 'admit');
    assert.equal(l.admit('10.0.0.1').kind, 'wait');
    l.setLimits(2, 1);
    assert.equal(l.admit('10.0.0.1').kind, 'per-ip');
    l.setLimits(0, 0);
    assert.equal(l.maxDaemons, Number.POSITIVE_INFINITY);
    for (let i = 0; i < 50; i++) assert.equal(l.admit('10.0.0.1').kind, 'admit');
  });
});
